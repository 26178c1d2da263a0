import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import type { JobInfo } from '../../platform/jobs/index.js';
import { lastGoodSnapshots } from './index.js';
import { evaluate } from './watch.service.js';

const HOUR = 3_600_000;
type Json = Record<string, unknown>;

describe('recovery point monitoring: incidents about devices and services’ worst RPO', () => {
  let app: TestApp;
  let rita: TestUser;
  let tech: TestUser;
  let teamId: string;
  let policyId: string;

  const admin = () => app.as(app.admin);
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const run = (token: string, startedMsAgo: number, ok: boolean, extra: Record<string, unknown> = {}) =>
    app.anonymous.post(
      '/api/v1/agents/backup/runs',
      {
        startedAt: ago(startedMsAgo),
        finishedAt: ago(startedMsAgo - 60_000),
        status: ok ? 'succeeded' : 'failed',
        snapshotId: ok ? randomBytes(32).toString('hex') : null,
        filesNew: 0,
        filesChanged: 0,
        filesUnmodified: 10,
        bytesProcessed: 100,
        bytesAdded: 0,
        warnings: [],
        error: ok ? null : 'the storage target cannot be reached',
        ...extra,
      },
      { authorization: `Bearer ${token}` },
    );
  const status = async (ciId: string) => (await admin().get(`/api/v1/backup/status/${ciId}`)).json();
  const ticketsOf = async (ciId: string) =>
    (await admin().get(`/api/v1/cis/${ciId}/tickets`)).json().items as {
      id: string;
      key: string;
      title: string;
      status: string;
    }[];
  const patchItem = async (id: string, fields: Record<string, unknown>) => {
    const cur = await admin().get(`/api/v1/cis/${id}`);
    const r = await admin().patch(`/api/v1/cis/${id}`, fields, { 'if-match': cur.headers.etag as string });
    expect(r.statusCode).toBe(200);
  };
  /** A laptop enrolled through the API, owned by Rita, in the IT team, under the 24-hour policy. */
  const laptop = async (name: string) => {
    const d = await enrolDevice(app, name);
    await patchItem(d.ciId, { ownerId: rita.id, teamId });
    const a = await admin().post(`/api/v1/backup/policies/${policyId}/assignments`, {
      scope: 'item',
      ref: d.ciId,
    });
    expect(a.statusCode).toBe(200);
    return d;
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    rita = await app.user('requester', { name: 'Rita Requester' });
    tech = await app.user('agent', { name: 'Tom Technician' });
    teamId = (await admin().post('/api/v1/teams', { name: 'Desktop support' })).json().id;
    const cur = await admin().get(`/api/v1/users/${tech.id}`);
    const joined = await admin().patch(
      `/api/v1/users/${tech.id}`,
      { teamIds: [teamId] },
      { 'if-match': cur.headers.etag as string },
    );
    expect(joined.statusCode).toBe(200);
    const p = await admin().post('/api/v1/backup/policies', {
      name: 'Laptops, daily',
      schedule: { kind: 'cron', cron: '0 12 * * *', timeZone: 'UTC' },
      retention: { daily: 7 },
      rpoMinutes: 24 * 60,
    });
    expect(p.statusCode).toBe(201);
    policyId = p.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('opens one incident when the RPO is breached, tells the owner and team, and resolves it after a good run', async () => {
    const d = await laptop('LAPTOP-RITA');
    expect((await run(d.token, 26 * HOUR + 5 * 60_000, true)).statusCode).toBe(201);
    const s = await status(d.ciId);
    expect(s).toMatchObject({ state: 'breached', changedFiles: 0, incident: { reason: 'rpo_breached' } });
    const [incident, ...others] = await ticketsOf(d.ciId);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      key: s.incident.key,
      title: 'Backups of LAPTOP-RITA are 26 hours old (target 24 h)',
      status: 'new',
    });
    const full = (await admin().get(`/api/v1/tickets/${incident!.id}`)).json();
    expect(full).toMatchObject({ type: 'incident', requesterId: rita.id, teamId, impact: 3, urgency: 4 });
    // The owner and the team hear of it as "backups overdue", in words, with a link to the incident.
    for (const who of [rita, tech]) {
      const mine = (await app.as(who).get('/api/v1/notifications')).json().items as {
        event: string;
        title: string;
        body: string;
      }[];
      const about = mine.filter((n) => n.title.includes(`[${incident!.key}]`));
      expect(about.map((n) => [n.event, n.title])).toEqual([
        ['backup_overdue', `[${incident!.key}] Backups of LAPTOP-RITA are overdue`],
      ]);
      expect(about[0]!.body).toContain(
        'The last good backup of LAPTOP-RITA is 26 hours old; its policy “Laptops, daily” allows 24 h.',
      );
      expect(about[0]!.body).toContain(`/tickets/${incident!.id}`);
    }
    // The watch job finds nothing more to do; another failure does not open a second incident.
    expect(await evaluate(app.server.ctx)).toMatchObject({ opened: 0 });
    expect((await run(d.token, 60_000, false)).statusCode).toBe(201);
    expect(await ticketsOf(d.ciId)).toHaveLength(1);

    // A good run within the target: the incident is resolved, saying why, and the alert closed.
    expect((await run(d.token, 30_000, true)).statusCode).toBe(201);
    expect(await status(d.ciId)).toMatchObject({ state: 'ok', incident: null });
    const after = (await admin().get(`/api/v1/tickets/${incident!.id}`)).json();
    expect(after.status).toBe('resolved');
    const timeline = (await admin().get(`/api/v1/tickets/${incident!.id}/timeline`)).json().items as {
      comment: { body: string } | null;
    }[];
    expect(timeline.map((t) => t.comment?.body ?? '').join('\n')).toMatch(
      /Backups of LAPTOP-RITA are healthy again: the last good snapshot .* is 0 minutes old, within the target of 24 h/,
    );
    const audit = (await admin().get(`/api/v1/audit?entityType=ci&entityId=${d.ciId}`)).json().items as {
      action: string;
    }[];
    const actions = audit.map((a) => a.action);
    expect(actions).toContain('backup.alert_opened');
    expect(actions).toContain('backup.alert_resolved');
  });

  it('makes one incident however many evaluations race', async () => {
    const d = await laptop('LAPTOP-RACE');
    expect((await run(d.token, 30 * HOUR, true)).statusCode).toBe(201);
    // A report evaluates too: run 50 evaluations of the whole fleet and 50 of this device at once.
    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => evaluate(app.server.ctx)),
      ...Array.from({ length: 25 }, () => evaluate(app.server.ctx, d.ciId)),
    ]);
    expect(results.reduce((n, r) => n + r.opened, 0)).toBeLessThanOrEqual(1);
    const tickets = await ticketsOf(d.ciId);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.title).toBe('Backups of LAPTOP-RACE are 30 hours old (target 24 h)');
  });

  it('opens one incident after three failed runs in a row, even within the target, from 50 reports at once', async () => {
    const d = await laptop('LAPTOP-FAILING');
    expect((await run(d.token, 2 * HOUR, true)).statusCode).toBe(201);
    expect((await run(d.token, HOUR, false)).statusCode).toBe(201);
    expect((await run(d.token, HOUR - 60_000, false)).statusCode).toBe(201);
    expect(await ticketsOf(d.ciId)).toEqual([]);
    const reports = await Promise.all(
      Array.from({ length: 50 }, (_, i) => run(d.token, HOUR - (i + 2) * 60_000, false, { changedFiles: 7 })),
    );
    expect(reports.every((r) => r.statusCode === 201)).toBe(true);
    const tickets = await ticketsOf(d.ciId);
    expect(tickets.map((t) => t.title)).toEqual(['Backups of LAPTOP-FAILING failed 3 times in a row']);
    // Its owner hears of it once, as "backups failing", with the last error.
    const told = ((await app.as(rita).get('/api/v1/notifications')).json().items as Json[]).filter((n) =>
      String(n.title).includes(`[${(tickets[0] as { key: string }).key}]`),
    );
    expect(told.map((n) => n.event)).toEqual(['backup_failing']);
    expect(told[0]!.title).toBe(
      `[${(tickets[0] as { key: string }).key}] Backups of LAPTOP-FAILING are failing`,
    );
    expect(told[0]!.body).toMatch(
      /^The last 3 backups of LAPTOP-FAILING failed\. The last error: the storage target/,
    );
    expect(await status(d.ciId)).toMatchObject({
      state: 'ok',
      lastRunStatus: 'failed',
      changedFiles: 7,
      incident: { reason: 'failing', key: (tickets[0] as { key: string }).key },
    });
    expect((await run(d.token, 60_000, true)).statusCode).toBe(201);
    expect((await ticketsOf(d.ciId))[0]!.status).toBe('resolved');
  });

  it('keeps each device’s last run and last good snapshot right under 40 parallel reports in any order', async () => {
    const d = await laptop('LAPTOP-BUSY');
    // Distinct start times, reported in a shuffled order at once: every third failed, every fifth partial.
    const runs = Array.from({ length: 40 }, (_, i) => ({
      ago: HOUR + i * 60_000,
      status: i % 3 === 0 ? 'failed' : i % 5 === 0 ? 'partial' : 'succeeded',
      snapshotId: i % 3 === 0 ? null : randomBytes(32).toString('hex'),
    })).sort(() => Math.random() - 0.5);
    const reports = await Promise.all(
      runs.map((r) =>
        run(d.token, r.ago, r.status !== 'failed', { status: r.status, snapshotId: r.snapshotId }),
      ),
    );
    expect(reports.map((r) => r.statusCode)).toEqual(runs.map(() => 201));
    const newest = (xs: typeof runs) => xs.reduce((a, b) => (b.ago < a.ago ? b : a));
    const last = newest(runs);
    const good = newest(runs.filter((r) => r.status !== 'failed'));
    const lastAt = (r: (typeof runs)[number]) => reports[runs.indexOf(r)]!.json().startedAt as string;
    expect(last.status).toBe('failed');
    expect(await status(d.ciId)).toMatchObject({
      lastRunAt: lastAt(last),
      lastRunStatus: 'failed',
      lastGoodAt: lastAt(good),
    });
    const fleet = (await admin().get('/api/v1/backup/status')).json().devices as Json[];
    expect(fleet.find((x) => x.ciId === d.ciId)).toMatchObject({
      lastRunAt: lastAt(last),
      lastGoodAt: lastAt(good),
    });
    // Other modules (disaster-recovery drills) get the same snapshot.
    expect((await lastGoodSnapshots(app.server.ctx, [d.ciId])).get(d.ciId)).toEqual({
      at: new Date(lastAt(good)),
      snapshotId: good.snapshotId,
    });
    // An older report arriving late changes neither.
    expect((await run(d.token, 3 * HOUR, true)).statusCode).toBe(201);
    expect(await status(d.ciId)).toMatchObject({ lastRunAt: lastAt(last), lastGoodAt: lastAt(good) });
  });

  it('catches a recovery point that ages past its target with nothing reported (the watch job)', async () => {
    const d = await laptop('LAPTOP-QUIET');
    expect((await run(d.token, 2 * HOUR, true)).statusCode).toBe(201);
    expect(await ticketsOf(d.ciId)).toEqual([]);
    // The device goes quiet; time passes, as a tighter policy shows at once.
    const tight = await admin().post('/api/v1/backup/policies', {
      name: 'Hourly',
      schedule: { kind: 'cron', cron: '0 * * * *', timeZone: 'UTC' },
      retention: { hourly: 24 },
      rpoMinutes: 60,
    });
    expect(
      (
        await admin().post(`/api/v1/backup/policies/${tight.json().id}/assignments`, {
          scope: 'item',
          ref: d.ciId,
        })
      ).statusCode,
    ).toBe(200);
    expect(await ticketsOf(d.ciId)).toEqual([]);
    const job = app.server.jobSet.types.find((t) => t.name === 'backup.watch');
    expect(job).toBeDefined();
    await job!.handler(app.server.ctx, {}, {} as JobInfo);
    expect((await ticketsOf(d.ciId)).map((t) => t.title)).toEqual([
      'Backups of LAPTOP-QUIET are 2 hours old (target 1 h)',
    ]);
  });

  it('rolls each business service up to the worst computer it depends on', async () => {
    const good = await laptop('APP-SERVER-1');
    const bad = await laptop('DB-SERVER-1');
    expect((await run(good.token, HOUR, true)).statusCode).toBe(201);
    expect((await run(bad.token, 40 * HOUR, true)).statusCode).toBe(201);
    const item = async (classKey: string, name: string) =>
      (await admin().post('/api/v1/cis', { classKey, name, status: 'deployed' })).json().id as string;
    const relate = async (from: string, type: string, to: string) =>
      expect((await admin().post(`/api/v1/cis/${from}/relationships`, { type, toId: to })).statusCode).toBe(
        201,
      );
    const payroll = await item('service', 'Payroll');
    const database = await item('service', 'Payroll database');
    const intranet = await item('service', 'Intranet');
    const lonely = await item('service', 'Nothing yet');
    await relate(payroll, 'runs_on', good.ciId);
    await relate(payroll, 'depends_on', database);
    await relate(database, 'runs_on', bad.ciId);
    await relate(database, 'depends_on', payroll); // a cycle ends the walk
    await relate(intranet, 'runs_on', good.ciId);

    const list = (await admin().get('/api/v1/backup/services')).json().services as {
      ciId: string;
      name: string;
      state: string;
      devices: number;
      worst: { name: string } | null;
    }[];
    const mine = list.filter((s) => [payroll, database, intranet, lonely].includes(s.ciId));
    expect(mine.map((s) => [s.name, s.state, s.devices, s.worst?.name ?? null])).toEqual([
      ['Payroll', 'breached', 2, 'DB-SERVER-1'],
      ['Payroll database', 'breached', 2, 'DB-SERVER-1'],
      ['Intranet', 'ok', 1, 'APP-SERVER-1'],
      ['Nothing yet', 'no_policy', 0, null],
    ]);
    const detail = (await admin().get(`/api/v1/backup/services/${payroll}`)).json();
    expect(detail).toMatchObject({ name: 'Payroll', state: 'breached', atRisk: 1 });
    expect(detail.dependencies.map((x: { name: string }) => x.name)).toEqual(['DB-SERVER-1', 'APP-SERVER-1']);
    expect(detail.dependencies[0].incident.key).toMatch(/^INC-\d+$/);
    expect((await admin().get(`/api/v1/backup/services/${good.ciId}`)).statusCode).toBe(404);
  });

  it('takes the agent’s count of changed files, and hides all of it from non-admins', async () => {
    const d = await laptop('LAPTOP-COUNTED');
    expect((await run(d.token, HOUR, true)).statusCode).toBe(201);
    const counted = (files: number, countedAt: string, token = d.token) =>
      app.anonymous.post(
        '/api/v1/agents/backup/changes',
        { since: ago(HOUR), files, countedAt },
        { authorization: `Bearer ${token}` },
      );
    expect((await counted(42, ago(60_000))).statusCode).toBe(204);
    expect((await counted(3, ago(120_000))).statusCode).toBe(204); // an older count does not win
    expect(await status(d.ciId)).toMatchObject({ changedFiles: 42 });
    expect((await counted(1, new Date(Date.now() + HOUR).toISOString())).statusCode).toBe(400);
    expect((await counted(1, ago(0), 'stw_agent_' + 'x'.repeat(43))).statusCode).toBe(401);
    expect(
      (
        await app.anonymous.post(
          '/api/v1/agents/backup/changes',
          { files: -1 },
          { authorization: `Bearer ${d.token}` },
        )
      ).statusCode,
    ).toBe(400);

    const service = (await admin().post('/api/v1/cis', { classKey: 'service', name: 'Mail' })).json().id;
    for (const who of [rita, tech]) {
      expect((await app.as(who).get('/api/v1/backup/services')).statusCode).toBe(404);
      expect((await app.as(who).get(`/api/v1/backup/services/${service}`)).statusCode).toBe(404);
    }
    expect((await admin().get('/api/v1/backup/services/not-a-uuid')).statusCode).toBe(400);
  });
});
