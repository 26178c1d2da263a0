import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resticAsync, resticAvailable } from '../../../../test/interop/restic-helpers.js';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { requireComponent } from '../../../../test/support/requires.js';
import { loadMasterKey } from '../../platform/master-key.js';
import { serverBackupPassword } from '../../platform/server-backup.js';

interface Settings {
  enabled: boolean;
  targetId: string | null;
  version: number;
  nextRunAt: string | null;
}
interface Run {
  id: string;
  status: string;
  snapshotId: string | null;
  error: string | null;
  forgotten: number;
}

describe('Steward backs itself up', () => {
  let app: TestApp;
  let dir: string;
  let targetId: string;
  const hasRestic = requireComponent(
    'Steward’s own backup read by restic',
    resticAvailable,
    'restic is not installed',
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-selfbackup-'));
    app = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_DATA_DIR: join(dir, 'data'),
      STEWARD_MASTER_KEY_FILE: join(dir, 'master.key'),
    });
    targetId = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Backup disk', location: join(dir, 'target') })
    ).json<{ id: string }>().id;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = async () => {
    const r = await app.as(app.admin).get('/api/v1/dr/server-backup');
    expect(r.statusCode).toBe(200);
    return r.json<Settings>();
  };
  const put = async (body: unknown) => {
    const s = await settings();
    return app.as(app.admin).put('/api/v1/dr/server-backup', body, { 'if-match': `"v${s.version}"` });
  };
  const waitFor = async (id: string): Promise<Run> => {
    for (let i = 0; i < 600; i++) {
      const res = await app.as(app.admin).get('/api/v1/dr/server-backup/runs');
      expect(res.statusCode, res.body).toBe(200);
      const runs = res.json<{ items: Run[] }>();
      const run = runs.items.find((r) => r.id === id);
      if (run && run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the run did not finish');
  };

  it('validates its settings, for admins only', async () => {
    expect((await put({ enabled: true })).json().errors[0].path).toBe('targetId');
    expect((await put({ cron: 'every day' })).statusCode).toBe(400);
    expect((await put({ timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await put({ targetId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
    expect((await put({ folder: '../elsewhere' })).statusCode).toBe(400);
    expect((await put({ keepDaily: -1 })).statusCode).toBe(400);
    const stale = await app
      .as(app.admin)
      .put('/api/v1/dr/server-backup', { enabled: false }, { 'if-match': '"v999"' });
    expect(stale.statusCode).toBe(412);
    const unreadable = await app
      .as(app.admin)
      .put('/api/v1/dr/server-backup', { enabled: false }, { 'if-match': '"0"' });
    expect(unreadable.statusCode).toBe(412);
    expect((await app.as(app.admin).put('/api/v1/dr/server-backup', { enabled: false })).statusCode).toBe(
      428,
    );
    for (const role of ['requester', 'agent'] as const) {
      const u = await app.user(role);
      expect([403, 404]).toContain((await app.as(u).get('/api/v1/dr/server-backup')).statusCode);
      expect([403, 404]).toContain((await app.as(u).post('/api/v1/dr/server-backup/runs')).statusCode);
    }
    expect((await app.as(app.admin).post('/api/v1/dr/server-backup/runs')).statusCode).toBe(400);
    const ok = await put({ enabled: true, targetId, cron: '30 1 * * *', timeZone: 'Europe/Paris' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<Settings>().nextRunAt).not.toBeNull();
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'dr.server_backup_settings_updated'`.execute(app.database.db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('backs up the database into a repository restic reads with the password derived from the master key', async () => {
    await app
      .as(app.admin)
      .post('/api/v1/tickets', { type: 'incident', title: 'Printer on fire', impact: 2, urgency: 2 });
    const started = await app.as(app.admin).post('/api/v1/dr/server-backup/runs');
    expect(started.statusCode).toBe(202);
    const run = await waitFor(started.json<Run>().id);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    if (!hasRestic) return;
    const password = serverBackupPassword(loadMasterKey(join(dir, 'master.key'), { create: false }));
    const repo = join(dir, 'target', 'steward-server');
    const env = { RESTIC_PASSWORD: password, RESTIC_REPOSITORY: repo };
    const check = await resticAsync(['check', '--read-data', '--no-cache'], env);
    expect(check.status, check.stderr).toBe(0);
    const ls = await resticAsync(['ls', '--no-cache', 'latest'], env);
    expect(ls.stdout).toMatch(/manifest\.json/);
    expect(ls.stdout).toMatch(
      new RegExp(app.database.kind === 'postgres' ? 'database\\.pgdump' : 'database\\.pglite\\.tar'),
    );
    expect(ls.stdout).toMatch(/configuration\.env/);
    const wrong = await resticAsync(['snapshots', '--no-cache'], { ...env, RESTIC_PASSWORD: 'not the key' });
    expect(wrong.status).not.toBe(0);
  });

  it('runs one backup at a time when many ask at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => app.as(app.admin).post('/api/v1/dr/server-backup/runs')),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const run = await waitFor(answers.find((a) => a.statusCode === 202)!.json<Run>().id);
    expect(run.status).toBe('succeeded');
  });

  it('records a failed run when the repository cannot be opened, and lets the next one run', async () => {
    // A repository Steward cannot open there (not made with its key): the run fails, nothing is written.
    mkdirSync(join(dir, 'foreign', 'steward-server'), { recursive: true });
    writeFileSync(join(dir, 'foreign', 'steward-server', 'config'), 'not a repository made with this key');
    const bad = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Someone else’s disk', location: join(dir, 'foreign') })
    ).json<{ id: string }>().id;
    expect((await put({ targetId: bad })).statusCode).toBe(200);
    const started = await app.as(app.admin).post('/api/v1/dr/server-backup/runs');
    expect(started.statusCode, started.body).toBe(202);
    const run = await waitFor(started.json<Run>().id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/key/);
    expect(run.snapshotId).toBeNull();
    expect((await put({ targetId })).statusCode).toBe(200);
    const next = await app.as(app.admin).post('/api/v1/dr/server-backup/runs');
    expect(next.statusCode, next.body).toBe(202);
    expect((await waitFor(next.json<Run>().id)).status).toBe('succeeded');
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log
      WHERE action LIKE 'dr.server_backup_%' ORDER BY id`.execute(app.database.db);
    expect(audit.rows.map((r) => r.action)).toContain('dr.server_backup_failed');
  });

  it('pages its runs with a cursor and refuses a forged one', async () => {
    const first = (await app.as(app.admin).get('/api/v1/dr/server-backup/runs?limit=2')).json<{
      items: Run[];
      nextCursor: string;
    }>();
    expect(first.items.length).toBeGreaterThanOrEqual(2);
    const second = (
      await app.as(app.admin).get(`/api/v1/dr/server-backup/runs?limit=2&cursor=${first.nextCursor}`)
    ).json<{ items: Run[] }>();
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0]!.id);
    const forged = Buffer.from(JSON.stringify(['2026-13-01T00:00:00.000000Z', 'x'])).toString('base64url');
    expect((await app.as(app.admin).get(`/api/v1/dr/server-backup/runs?cursor=${forged}`)).statusCode).toBe(
      400,
    );
  });
});

describe('Steward’s own backup on its schedule', () => {
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-selfbackup-job-'));
    // The runner polls rarely: the test drives it with runDue.
    app = await setup({
      STEWARD_JOBS_POLL_MS: '60000',
      STEWARD_DATA_DIR: join(dir, 'data'),
      STEWARD_MASTER_KEY_FILE: join(dir, 'master.key'),
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs through the server’s own job runner when the admin’s schedule has one due', async () => {
    const targetId = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Backup disk', location: join(dir, 'target') })
    ).json<{ id: string }>().id;
    const s = (await app.as(app.admin).get('/api/v1/dr/server-backup')).json<Settings>();
    const put = await app
      .as(app.admin)
      .put(
        '/api/v1/dr/server-backup',
        { enabled: true, targetId, cron: '* * * * *', timeZone: 'UTC' },
        { 'if-match': `"v${s.version}"` },
      );
    expect(put.statusCode, put.body).toBe(200);
    // Saved two minutes ago: a run is due now.
    await sql`UPDATE server_backup_settings SET updated_at = now() - interval '2 minutes'`.execute(
      app.database.db,
    );
    const runner = app.server.jobs!;
    await runner.runDue(new Date(Date.now() + 6 * 60_000));
    const runs = (await app.as(app.admin).get('/api/v1/dr/server-backup/runs')).json<{
      items: (Run & { trigger: string })[];
    }>();
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    const job = await sql<{ state: string }>`SELECT state FROM jobs WHERE name = 'dr.server_backup'`.execute(
      app.database.db,
    );
    expect(job.rows.map((r) => r.state)).toEqual(['succeeded']);
  });
});
