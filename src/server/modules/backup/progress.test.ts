import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';

describe('company backups: progress of a running backup', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => {
    await app.close();
  });

  const admin = () => app.as(app.admin);
  const progress = (startedAt: string, extra: Record<string, unknown> = {}) => ({
    startedAt,
    percent: 42.5,
    filesDone: 10,
    filesTotal: 40,
    bytesDone: 4_250_000,
    bytesTotal: 10_000_000,
    currentFile: '/home/rita/Documents/report.odt',
    etaSeconds: 90,
    ...extra,
  });
  const run = (startedAt: string) => ({
    startedAt,
    finishedAt: new Date().toISOString(),
    status: 'succeeded',
    snapshotId: 'b'.repeat(64),
    filesNew: 40,
    filesChanged: 0,
    filesUnmodified: 0,
    bytesProcessed: 10_000_000,
    bytesAdded: 10_000_000,
    warnings: [],
    error: null,
  });
  const startedAudits = async (ciId: string) =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
        WHERE action = 'backup.run_started' AND entity_id = ${ciId}`.execute(app.database.db)
    ).rows[0]!.n;

  it('shows a running backup (since, percent, ETA) until its run is reported, for the posting device only', async () => {
    const rita = await enrolDevice(app, 'rita-laptop');
    const omar = await enrolDevice(app, 'omar-desktop');
    const agent = app.as({ token: rita.token });
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    // Parallel first posts of one run: one row, and the run's start is audited once.
    const posts = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        agent.post('/api/v1/agents/backup/progress', progress(startedAt, { filesDone: i })),
      ),
    );
    expect(posts.map((p) => p.statusCode)).toEqual([204, 204, 204, 204]);
    expect(await startedAudits(rita.ciId)).toBe(1);
    expect(
      (
        await agent.post(
          '/api/v1/agents/backup/progress',
          progress(startedAt, { percent: 80, etaSeconds: 20 }),
        )
      ).statusCode,
    ).toBe(204);
    expect(await startedAudits(rita.ciId)).toBe(1);

    const status = (await admin().get(`/api/v1/backup/status/${rita.ciId}`)).json();
    expect(status.running).toMatchObject({
      startedAt,
      percent: 80,
      etaSeconds: 20,
      filesTotal: 40,
      bytesDone: 4_250_000,
      currentFile: '/home/rita/Documents/report.odt',
    });
    const fleet = (await admin().get('/api/v1/backup/status')).json().devices as {
      ciId: string;
      running: unknown;
    }[];
    expect(fleet.find((d) => d.ciId === rita.ciId)?.running).toMatchObject({ percent: 80 });
    expect(fleet.find((d) => d.ciId === omar.ciId)?.running).toBeNull();
    // Not for anyone but admins.
    const requester = await app.user('requester');
    expect((await app.as(requester).get(`/api/v1/backup/status/${rita.ciId}`)).statusCode).toBe(404);

    // The report clears it; a post of that run arriving late is refused and shows nothing.
    expect((await agent.post('/api/v1/agents/backup/runs', run(startedAt))).statusCode).toBe(201);
    expect((await admin().get(`/api/v1/backup/status/${rita.ciId}`)).json().running).toBeNull();
    const late = await agent.post('/api/v1/agents/backup/progress', progress(startedAt));
    expect(late.statusCode).toBe(409);
    expect((await admin().get(`/api/v1/backup/status/${rita.ciId}`)).json().running).toBeNull();

    // The next run is another start.
    const next = new Date().toISOString();
    expect((await agent.post('/api/v1/agents/backup/progress', progress(next))).statusCode).toBe(204);
    expect(await startedAudits(rita.ciId)).toBe(2);
    expect((await admin().get(`/api/v1/backup/status/${rita.ciId}`)).json().running.startedAt).toBe(next);
  });

  it('audits the start and the end of every run once, a run that posted no progress too', async () => {
    const dev = await enrolDevice(app, 'quick-laptop');
    const agent = app.as({ token: dev.token });
    const ended = async () =>
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
          WHERE action = 'backup.run_reported' AND entity_id = ${dev.ciId}`.execute(app.database.db)
      ).rows[0]!.n;
    // A quick run: no progress posted, only its report.
    const quick = new Date(Date.now() - 120_000).toISOString();
    expect((await agent.post('/api/v1/agents/backup/runs', run(quick))).statusCode).toBe(201);
    expect([await startedAudits(dev.ciId), await ended()]).toEqual([1, 1]);
    // A long run: its progress posts audit its start once, the report its end; the start is not audited again.
    const long = new Date(Date.now() - 60_000).toISOString();
    for (const i of [1, 2, 3])
      expect(
        (await agent.post('/api/v1/agents/backup/progress', progress(long, { filesDone: i }))).statusCode,
      ).toBe(204);
    expect((await agent.post('/api/v1/agents/backup/runs', run(long))).statusCode).toBe(201);
    expect([await startedAudits(dev.ciId), await ended()]).toEqual([2, 2]);
  });

  it('refuses bad progress and unknown agents', async () => {
    const dev = await enrolDevice(app, 'kim-laptop');
    const agent = app.as({ token: dev.token });
    const now = new Date().toISOString();
    const bad = [
      progress(now, { percent: 100.5 }),
      progress(now, { percent: -1 }),
      progress(now, { bytesDone: -5 }),
      progress(now, { filesTotal: 1.5 }),
      progress(now, { etaSeconds: -1 }),
      progress('yesterday'),
      // The device comes from the token: a body cannot name another.
      progress(now, { ciId: dev.ciId }),
    ];
    for (const body of bad)
      expect(
        (await agent.post('/api/v1/agents/backup/progress', body)).statusCode,
        JSON.stringify(body),
      ).toBe(400);
    const future = await agent.post(
      '/api/v1/agents/backup/progress',
      progress(new Date(Date.now() + 3600_000).toISOString()),
    );
    expect(future.statusCode).toBe(400);
    const unknown = app.as({ token: 'stw_agent_' + 'x'.repeat(43) });
    expect((await unknown.post('/api/v1/agents/backup/progress', progress(now))).statusCode).toBe(401);
    expect((await app.anonymous.post('/api/v1/agents/backup/progress', progress(now))).statusCode).toBe(401);
    expect((await admin().get(`/api/v1/backup/status/${dev.ciId}`)).json().running).toBeNull();
  });
});
