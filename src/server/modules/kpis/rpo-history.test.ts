import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Midnight UTC `n` days ago, plus `hours`. */
const dayAgo = (n: number, hours = 0) => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() - n * DAY + hours * HOUR);
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('RPO compliance over time: each day counted as it was, every number opening its list', () => {
  let app: TestApp;
  let steady: { ciId: string; token: string };
  let gappy: { ciId: string; token: string };
  let late: { ciId: string; token: string };
  const admin = () => app.as(app.admin);
  /** A run that began at `start` and finished ten minutes later. */
  const run = async (token: string, start: Date, ok = true) => {
    const r = await app.anonymous.post(
      '/api/v1/agents/backup/runs',
      {
        startedAt: start.toISOString(),
        finishedAt: new Date(start.getTime() + 10 * 60_000).toISOString(),
        status: ok ? 'succeeded' : 'failed',
        snapshotId: ok ? randomBytes(32).toString('hex') : null,
        filesNew: 0,
        filesChanged: 0,
        filesUnmodified: 1,
        bytesProcessed: 1,
        bytesAdded: 0,
        warnings: [],
        error: ok ? null : 'the target cannot be reached',
      },
      { authorization: `Bearer ${token}` },
    );
    expect(r.statusCode, r.body).toBe(201);
  };
  const series = async (from: Date, to: Date) => {
    const r = await admin().get(
      `/api/v1/kpis/rpo_compliance?from=${iso(from)}&to=${iso(to)}&granularity=day`,
    );
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{
      value: number | null;
      count: number;
      hits: number;
      trend: { from: string; value: number | null; count: number; hits: number | null }[];
    }>();
  };
  const list = async (day: Date, hits = false) => {
    const r = await admin().get(
      `/api/v1/kpis/rpo_compliance/items?from=${iso(day)}&to=${iso(day)}&granularity=day${hits ? '&hits=true' : ''}`,
    );
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as { ref: string; hit: boolean }[])
      .map((i) => `${i.ref}:${i.hit ? 'ok' : 'late'}`)
      .sort();
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    const p = await admin().post('/api/v1/backup/policies', {
      name: 'Laptops, daily',
      schedule: { kind: 'cron', cron: '0 12 * * *', timeZone: 'UTC' },
      retention: { daily: 7 },
      rpoMinutes: 24 * 60,
    });
    expect(p.statusCode, p.body).toBe(201);
    steady = await enrolDevice(app, 'PC-STEADY');
    gappy = await enrolDevice(app, 'PC-GAPPY');
    late = await enrolDevice(app, 'PC-LATE');
    for (const d of [steady, gappy, late]) {
      const a = await admin().post(`/api/v1/backup/policies/${p.json().id}/assignments`, {
        scope: 'item',
        ref: d.ciId,
      });
      expect(a.statusCode, a.body).toBe(200);
    }
    // Backups at noon: every day for the steady one; the gappy one misses days 6, 5 and 4 ago (a failed run does
    // not count); the late one has its first backup two days ago.
    // (today's noon only once it has passed: a run may not finish in the future)
    const last = dayAgo(0, 12).getTime() + 10 * 60_000 < Date.now() ? 0 : 1;
    for (let n = 10; n >= last; n--) {
      await run(steady.token, dayAgo(n, 12));
      if (n > 6 || n < 4) await run(gappy.token, dayAgo(n, 12));
      else await run(gappy.token, dayAgo(n, 12), false);
    }
    await run(late.token, dayAgo(2, 12));
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('counts each day’s end as it was: a gap and a first backup show on the days they happened', async () => {
    const s = await series(dayAgo(9), dayAgo(1));
    const byDay = new Map(s.trend.map((p) => [p.from, p]));
    const at = (n: number) => byDay.get(iso(dayAgo(n)))!;
    // day 9: the steady and gappy ones are within 24 h at midnight; the late one has never been backed up
    expect(at(9)).toMatchObject({ count: 3, hits: 2 });
    // the gappy one's last good run began at noon 7 days ago: out of target from noon 6 days ago until its next
    // good run was known (noon + 10 min, 3 days ago); day ends 6, 5 and 4 ago (midnights 5, 4 and 3 ago) miss
    expect(at(6)).toMatchObject({ count: 3, hits: 1 });
    expect(at(5)).toMatchObject({ count: 3, hits: 1 });
    expect(at(4)).toMatchObject({ count: 3, hits: 1 });
    expect(at(3)).toMatchObject({ count: 3, hits: 2 });
    // the late one is within target for a day after its only backup, then out of it again
    expect(at(2)).toMatchObject({ count: 3, hits: 3, value: 1 });
    expect(at(1)).toMatchObject({ count: 3, hits: 2 });
    expect(await list(dayAgo(1))).toEqual(['PC-GAPPY:ok', 'PC-LATE:late', 'PC-STEADY:ok']);
    expect(await list(dayAgo(5))).toEqual(['PC-GAPPY:late', 'PC-LATE:late', 'PC-STEADY:ok']);
    expect(await list(dayAgo(5), true)).toEqual(['PC-STEADY:ok']);
    expect(await list(dayAgo(2))).toEqual(['PC-GAPPY:ok', 'PC-LATE:ok', 'PC-STEADY:ok']);
  });

  it('shows today as the recovery points are now, the same as the backup overview', async () => {
    const today = await series(dayAgo(0), dayAgo(0));
    const now = (await admin().get('/api/v1/backup/status')).json().devices as {
      name: string;
      state: string;
    }[];
    const ours = now.filter((d) => d.name.startsWith('PC-'));
    expect(today.trend[0]).toMatchObject({
      count: ours.length,
      hits: ours.filter((d) => d.state === 'ok').length,
    });
    expect(await list(dayAgo(0))).toEqual(
      ours.map((d) => `${d.name}:${d.state === 'ok' ? 'ok' : 'late'}`).sort(),
    );
  });
});
