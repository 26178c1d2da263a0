/**
 * Upkeep and restores exclude each other (issue 22): a forget or prune never runs while a restore reads the
 * repository (it could delete packs the restore still needs), and a restore does not start while one runs.
 * Decided in the database: the prune locks the repository's row and looks for running restores, a claim locks
 * it shared and looks for a running prune. Tested one after the other and with a prune and many claims at once,
 * a watcher checking that the two are never running together.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { backup } from '../../../backup/archiver.js';
import { openBackend } from '../../../backup/backend/location.js';
import { DEFAULT_LOCK_TIMING } from '../../../backup/lock.js';
import { Repository } from '../../../backup/repository.js';
import { secretBox } from '../../platform/envelope.js';
import { loadMasterKey } from '../../platform/master-key.js';
import type { Actor } from '../../platform/permissions.js';
import { requestUpkeep, runUpkeep, type UpkeepDeps } from './upkeep.service.js';

describe('upkeep and restores of one repository', () => {
  let app: TestApp;
  let dir: string;
  let deps: UpkeepDeps;
  let device: { token: string; ciId: string };
  let snapshotId: string;
  let src: string;

  const admin = (): Actor => ({ userId: app.admin.id, role: 'admin', label: 'test', via: 'system' });
  const asAgent = () => ({ authorization: `Bearer ${device.token}` });
  const ask = async () => {
    const r = await app.as(app.admin).post('/api/v1/backup/restores', {
      sourceCiId: device.ciId,
      snapshotId,
      paths: [join(src, 'todo.txt')],
      destinationFolder: join(dir, 'out'),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const claim = () => app.anonymous.post('/api/v1/agents/backup/restores/claim', {}, asAgent());
  const finish = async (id: string) => {
    const outcome = {
      state: 'succeeded',
      filesDone: 1,
      filesTotal: 1,
      bytesDone: 4,
      bytesTotal: 4,
      skipped: [],
      verified: true,
      problems: [],
      error: null,
    };
    const r = await app.anonymous.post(`/api/v1/agents/backup/restores/${id}/finish`, outcome, asAgent());
    expect(r.statusCode, r.body).toBe(200);
  };
  const prune = async () => (await requestUpkeep(deps, admin(), device.ciId, 'prune')).id;
  const outcomeOf = async (id: string) =>
    (
      await app.database.db
        .selectFrom('backup_upkeep')
        .select(['outcome', 'summary'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).outcome;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-upkeep-restores-'));
    const keyFile = join(dir, 'master.key');
    app = await setup({ STEWARD_JOBS: 'off', STEWARD_MASTER_KEY_FILE: keyFile });
    deps = {
      ctx: app.server.ctx,
      box: secretBox(loadMasterKey(keyFile).derive('secrets')),
      clock: () => new Date(),
      lockTiming: { ...DEFAULT_LOCK_TIMING, checkDelayMs: 20 },
    };
    device = await enrolDevice(app, 'rita-laptop');
    const target = await app
      .as(app.admin)
      .post('/api/v1/backup/targets', { name: 'Disk', location: join(dir, 'store') });
    const put = await app
      .as(app.admin)
      .put(`/api/v1/backup/repositories/${device.ciId}`, { targetId: target.json<{ id: string }>().id });
    expect(put.statusCode).toBe(201);
    const access = await app.anonymous.get('/api/v1/agents/backup', asAgent());
    src = join(dir, 'home', 'rita');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'todo.txt'), 'todo');
    const backend = await openBackend(join(dir, 'store', `steward-${device.ciId}`), {});
    const repo = await Repository.open(
      backend,
      access.json<{ repositoryPassword: string }>().repositoryPassword,
    );
    snapshotId = (await backup(repo, { targets: [src], hostname: 'rita-laptop', workers: false })).snapshotId;
    await backend.close();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a prune waiting while a restore from the repository runs, and runs it after', async () => {
    const restore = await ask();
    expect((await claim()).statusCode).toBe(200);
    const id = await prune();
    const waiting = await runUpkeep(deps, id);
    expect(waiting).toMatchObject({ outcome: 'queued', finishedAt: null, startedAt: null });
    expect(waiting!.summary).toMatch(/^waiting: a restore from this repository is running/);
    // It looks again later by itself: a job is queued for it.
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs
      WHERE name = 'backup.upkeep_run' AND payload->>'id' = ${id} AND run_at > now()`.execute(
      app.database.db,
    );
    expect(jobs.rows[0]!.n).toBe(1);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'backup_upkeep.waiting'`.execute(app.database.db);
    expect(audit.rows[0]!.n).toBe(1);
    await finish(restore);
    expect(await runUpkeep(deps, id)).toMatchObject({ outcome: 'ok' });
  });

  it('keeps a restore from starting while a prune runs, and gives it out after', async () => {
    const restore = await ask();
    const id = await prune();
    // A slow prune: the engine pauses after writing its exclusive lock.
    const running = runUpkeep({ ...deps, lockTiming: { ...DEFAULT_LOCK_TIMING, checkDelayMs: 1500 } }, id);
    for (let i = 0; i < 400 && (await outcomeOf(id)) !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await outcomeOf(id)).toBe('running');
    expect((await claim()).statusCode).toBe(204);
    expect(await running).toMatchObject({ outcome: 'ok' });
    const got = await claim();
    expect(got.statusCode).toBe(200);
    expect(got.json<{ restore: { id: string } }>().restore.id).toBe(restore);
    await finish(restore);
  });

  it('never runs a prune and a restore together, with a prune and many claims at once', async () => {
    let overlaps = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = await sql<{ both: boolean }>`SELECT
            EXISTS (SELECT 1 FROM backup_upkeep WHERE ci_id = ${device.ciId} AND outcome = 'running')
            AND EXISTS (SELECT 1 FROM backup_restores WHERE source_ci_id = ${device.ciId} AND state = 'running')
            AS both`.execute(app.database.db);
        if (r.rows[0]!.both) overlaps++;
        await new Promise((res) => setTimeout(res, 2));
      }
    })();
    const slow = { ...deps, lockTiming: { ...DEFAULT_LOCK_TIMING, checkDelayMs: 150 } };
    const seen = { waited: 0, ranFirst: 0 };
    try {
      for (let round = 0; round < 6; round++) {
        const restore = await ask();
        const id = await prune();
        // Half the rounds start the claims first, half the prune.
        const claims = Array.from({ length: 8 }, claim);
        const [task, ...answers] =
          round % 2 === 0
            ? await Promise.all([runUpkeep(slow, id), ...claims])
            : await Promise.all([...claims, runUpkeep(slow, id)]).then((a) => [a.at(-1), ...a.slice(0, -1)]);
        const codes = answers.map((a) => (a as { statusCode: number }).statusCode);
        expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(1);
        const outcome = (task as { outcome: string }).outcome;
        if (outcome === 'queued') {
          // The restore went first: the prune waits for it.
          seen.waited++;
          expect(codes).toContain(200);
          await finish(restore);
          expect(await runUpkeep(slow, id)).toMatchObject({ outcome: 'ok' });
        } else {
          seen.ranFirst++;
          expect(outcome).toBe('ok');
          if (!codes.includes(200)) expect((await claim()).statusCode).toBe(200);
          await finish(restore);
        }
      }
    } finally {
      watching = false;
      await watcher;
    }
    expect(overlaps).toBe(0);
    expect(seen.waited + seen.ranFirst).toBe(6);
  });
});
