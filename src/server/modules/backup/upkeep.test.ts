/**
 * Upkeep of device repositories on the server, with the stock restic client writing the backups: forget keeps
 * what the device's policy says, prune frees the data and `restic check --read-data` passes after; the rotating
 * check reads every pack within 30 (simulated) days and records a damaged pack as a failure; a repository a
 * backup holds locked is skipped; parallel "run now" requests queue one task.
 */
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupUpkeep, UpkeepPage } from '../../../contracts/index.js';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { requireComponent } from '../../../../test/support/requires.js';
import { restic, resticAvailable } from '../../../../test/interop/restic-helpers.js';
import { openBackend } from '../../../backup/backend/location.js';
import { DEFAULT_LOCK_TIMING, Lock } from '../../../backup/lock.js';
import { lockTarget } from '../../../backup/repo-adapters.js';
import { Repository } from '../../../backup/repository.js';
import { secretBox } from '../../platform/envelope.js';
import { enqueue, JobRunner } from '../../platform/jobs/index.js';
import { loadMasterKey } from '../../platform/master-key.js';
import type { Actor } from '../../platform/permissions.js';
import { latestUpkeep } from './index.js';
import { groupOf, groupsToRead } from './upkeep.tasks.js';
import { queueUpkeep, requestUpkeep, runUpkeep, type UpkeepDeps } from './upkeep.service.js';

const haveRestic = requireComponent('backup upkeep', resticAvailable, 'restic not installed');
const DAY = 86_400_000;

describe.runIf(haveRestic)('backup upkeep on the server', () => {
  let app: TestApp;
  let dir: string;
  let requester: TestUser;
  let runner: JobRunner | undefined;
  let deps: UpkeepDeps;
  let simNow = new Date('2027-03-01T02:30:00Z');
  const device: Record<'rita' | 'bob', { ciId: string; password: string; repo: string }> = {} as never;

  const admin = (): Actor => ({ userId: app.admin.id, role: 'admin', label: 'test', via: 'system' });
  const startRunner = async () => {
    runner = new JobRunner(app.server.ctx, { pollMs: 50, jobs: app.server.jobSet });
    await runner.start();
  };
  const stopRunner = async () => {
    await runner?.stop();
    runner = undefined;
  };
  const history = async (ciId: string) =>
    (await app.as(app.admin).get(`/api/v1/backup/repositories/${ciId}/upkeep?limit=200`)).json<UpkeepPage>()
      .items;
  /** Asks for a task through the API and waits for the job runner to finish it. */
  const runNow = async (ciId: string, kind: string): Promise<BackupUpkeep> => {
    const res = await app.as(app.admin).post(`/api/v1/backup/repositories/${ciId}/upkeep`, { kind });
    expect(res.statusCode).toBe(202);
    const id = res.json<BackupUpkeep>().id;
    for (let i = 0; i < 600; i++) {
      const t = (await history(ciId)).find((x) => x.id === id);
      if (t?.finishedAt) return t;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the ${kind} task did not finish`);
  };
  const backup = (d: { repo: string; password: string }, src: string, host: string) =>
    restic(d.repo, d.password, ['backup', '--host', host, src]);
  const snapshots = (d: { repo: string; password: string }) =>
    (JSON.parse(restic(d.repo, d.password, ['snapshots', '--json'])) as { id: string; time: string }[])
      .sort((a, b) => a.time.localeCompare(b.time))
      .map((s) => s.id);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-upkeep-'));
    const keyFile = join(dir, 'master.key');
    app = await setup({ STEWARD_JOBS: 'off', STEWARD_MASTER_KEY_FILE: keyFile });
    deps = {
      ctx: app.server.ctx,
      box: secretBox(loadMasterKey(keyFile).derive('secrets')),
      clock: () => simNow,
      lockTiming: { ...DEFAULT_LOCK_TIMING, checkDelayMs: 20 },
    };
    requester = await app.user('requester');
    const target = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Server disk', location: join(dir, 'store') })
    ).json<{ id: string }>();
    for (const name of ['rita', 'bob'] as const) {
      const d = await enrolDevice(app, `${name}-laptop`);
      const put = await app
        .as(app.admin)
        .put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: target.id });
      expect(put.statusCode).toBe(201);
      const access = await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${d.token}` });
      const password = access.json<{ repositoryPassword: string }>().repositoryPassword;
      device[name] = { ciId: d.ciId, password, repo: join(dir, 'store', `steward-${d.ciId}`) };
    }
    const policy = await app.as(app.admin).post('/api/v1/backup/policies', {
      name: 'Laptops',
      schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'UTC' },
      retention: { last: 2 },
      rpoMinutes: 1440,
    });
    expect(policy.statusCode).toBe(201);
    const assigned = await app
      .as(app.admin)
      .post(`/api/v1/backup/policies/${policy.json<{ id: string }>().id}/assignments`, {
        scope: 'item',
        ref: device.rita.ciId,
      });
    expect(assigned.statusCode).toBe(200);
    // Four backups of Rita's laptop, each of a different 1 MiB file; six small ones of Bob's (more packs).
    // The same folder each time (retention counts per host and paths), its file replaced.
    const src = join(dir, 'rita');
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(src, 'report.bin'), randomBytes(1024 * 1024));
      backup(device.rita, src, 'rita-laptop');
    }
    const bobs = join(dir, 'bob');
    mkdirSync(bobs, { recursive: true });
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(bobs, 'notes.bin'), randomBytes(64 * 1024));
      backup(device.bob, bobs, 'bob-laptop');
    }
  });
  afterAll(async () => {
    await stopRunner();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('forgets by the device’s policy, prunes the data, and restic check --read-data passes after', async () => {
    await startRunner();
    try {
      const before = snapshots(device.rita);
      expect(before).toHaveLength(4);
      const forgot = await runNow(device.rita.ciId, 'forget');
      expect(forgot).toMatchObject({
        kind: 'forget',
        outcome: 'ok',
        trigger: 'manual',
        deviceName: 'rita-laptop',
      });
      expect(forgot.requestedBy).toBe(app.admin.name);
      expect(forgot.details).toMatchObject({ snapshotsKept: 2, snapshotsRemoved: 2, retention: { last: 2 } });
      expect(forgot.summary).toBe('kept 2 snapshots, removed 2 (keep-last 2)');
      expect(snapshots(device.rita)).toEqual(before.slice(2));
      const size = (p: string): number =>
        statSync(p).isDirectory()
          ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0)
          : statSync(p).size;
      const bytesBefore = size(join(device.rita.repo, 'data'));
      const pruned = await runNow(device.rita.ciId, 'prune');
      expect(pruned.outcome).toBe('ok');
      expect(pruned.details.packsRemoved).toBeGreaterThan(0);
      expect(pruned.details.bytesFreed).toBeGreaterThan(2 * 1024 * 1024);
      expect(pruned.summary).toMatch(/^freed \d+\.\d MiB: removed \d+ packs?, repacked \d+$/);
      expect(size(join(device.rita.repo, 'data'))).toBeLessThan(bytesBefore - 2 * 1024 * 1024);
      expect(restic(device.rita.repo, device.rita.password, ['check', '--read-data'])).toMatch(
        /no errors were found/,
      );
      const checked = await runNow(device.rita.ciId, 'check');
      expect(checked).toMatchObject({ outcome: 'ok', details: { groupsOf: 30, errorCount: 0 } });
      // Bob's laptop has no policy: nothing is forgotten.
      const none = await runNow(device.bob.ciId, 'forget');
      expect(none).toMatchObject({
        outcome: 'skipped',
        summary: 'no backup policy covers bob-laptop: nothing forgotten',
      });
      expect(snapshots(device.bob)).toHaveLength(6);
      const hist = await history(device.rita.ciId);
      expect(hist.map((h) => h.kind)).toEqual(['check', 'prune', 'forget']);
      const latest = await latestUpkeep(app.server.ctx, device.rita.ciId);
      expect([latest.forget?.id, latest.prune?.id, latest.check?.id]).toEqual([
        forgot.id,
        pruned.id,
        checked.id,
      ]);
      const audit = await sql<{ action: string; n: number }>`SELECT action, count(*)::int AS n FROM audit_log
        WHERE entity_id = ${device.rita.ciId} AND action LIKE 'backup_upkeep.%' GROUP BY action ORDER BY action`.execute(
        app.database.db,
      );
      expect(audit.rows).toEqual([
        { action: 'backup_upkeep.finished', n: 3 },
        { action: 'backup_upkeep.requested', n: 3 },
      ]);
    } finally {
      await stopRunner();
    }
  });

  it('skips a repository a running backup holds locked, and records it as skipped, not failed', async () => {
    const backend = await openBackend(device.rita.repo, {});
    const repo = await Repository.open(backend, device.rita.password);
    const lock = await Lock.acquire(lockTarget(repo), false);
    await startRunner();
    try {
      const t = await runNow(device.rita.ciId, 'prune');
      expect(t.outcome).toBe('skipped');
      expect(t.summary).toMatch(/^skipped: in use \(locked by .+ on .+ since /);
      await lock.release();
      // A stale lock (a backup on another machine that died an hour ago) does not hold upkeep up: restic's rule.
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      await repo.saveUnpacked(
        'lock',
        JSON.stringify({
          time: hourAgo,
          exclusive: false,
          hostname: 'gone-laptop',
          username: 'rita',
          pid: 4242,
        }),
      );
      expect((await runNow(device.rita.ciId, 'forget')).outcome).toBe('ok');
    } finally {
      await stopRunner();
      await lock.release().catch(() => undefined);
      await backend.close();
    }
    expect(snapshots(device.rita)).toHaveLength(2);
  });

  it('queues one task when many ask at once, and refuses bad kinds and people who may not see backups', async () => {
    const url = `/api/v1/backup/repositories/${device.rita.ciId}/upkeep`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => app.as(app.admin).post(url, { kind: 'prune' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, ...Array<number>(49).fill(409)]);
    const refused = answers.filter((a) => a.statusCode === 409);
    expect(refused[0]!.json().detail).toMatch(
      /a prune of rita-laptop’s repository is queued or running already/,
    );
    // Another kind is not held up by a pending prune.
    expect((await app.as(app.admin).post(url, { kind: 'check' })).statusCode).toBe(202);
    expect((await app.as(app.admin).post(url, { kind: 'defrag' })).statusCode).toBe(400);
    expect((await app.as(app.admin).post(url, {})).statusCode).toBe(400);
    expect((await app.as(app.admin).post(url, { kind: 'prune', extra: 1 })).statusCode).toBe(400);
    expect((await app.as(requester).post(url, { kind: 'prune' })).statusCode).toBe(404);
    expect((await app.as(requester).get(url)).statusCode).toBe(404);
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect((await app.as(app.admin).get(`/api/v1/backup/repositories/${nobody}/upkeep`)).statusCode).toBe(
      404,
    );
    expect((await app.as(app.admin).get(`${url}?cursor=bogus`)).statusCode).toBe(400);
    await startRunner();
    try {
      for (let i = 0; i < 600 && (await history(device.rita.ciId)).some((h) => !h.finishedAt); i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await stopRunner();
    }
    const hist = await history(device.rita.ciId);
    expect(hist.filter((h) => !h.finishedAt)).toEqual([]);
    const page1 = (await app.as(app.admin).get(`${url}?limit=2`)).json<UpkeepPage>();
    expect(page1.items).toHaveLength(2);
    const page2 = (
      await app.as(app.admin).get(`${url}?limit=200&cursor=${encodeURIComponent(page1.nextCursor!)}`)
    ).json<UpkeepPage>();
    expect([...page1.items, ...page2.items].map((h) => h.id)).toEqual(hist.map((h) => h.id));
  });

  it('the scheduled jobs queue a task for every repository, once; one failing repository stops no other', async () => {
    // The cron job itself, through the job runner: Rita's snapshots are kept by her policy, Bob has none.
    await enqueue(app.database.db, 'backup.upkeep', { kind: 'forget' });
    await startRunner();
    try {
      const scheduled = async () =>
        [...(await history(device.rita.ciId)), ...(await history(device.bob.ciId))].filter(
          (h) => h.trigger === 'schedule' && h.finishedAt,
        );
      for (let i = 0; i < 600 && (await scheduled()).length < 2; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await scheduled()).map((h) => [h.deviceName, h.outcome]).sort()).toEqual([
        ['bob-laptop', 'skipped'],
        ['rita-laptop', 'ok'],
      ]);
    } finally {
      await stopRunner();
    }
    // Rita's storage is gone for a while: her check fails, Bob's is done all the same.
    simNow = new Date('2027-03-01T02:30:00Z');
    renameSync(device.rita.repo, `${device.rita.repo}.away`);
    try {
      const queued = await queueUpkeep(deps, 'check');
      expect(queued).toHaveLength(2);
      expect(await queueUpkeep(deps, 'check')).toEqual([]);
      const done = await Promise.all(queued.map((id) => runUpkeep(deps, id)));
      const rita = done.find((t) => t?.ciId === device.rita.ciId)!;
      expect(rita).toMatchObject({ outcome: 'failed', trigger: 'schedule', requestedBy: null });
      expect(rita.error).toBeTruthy();
      expect(done.find((t) => t?.ciId === device.bob.ciId)).toMatchObject({ outcome: 'ok' });
      expect(await runUpkeep(deps, queued[0]!)).toBeUndefined();
    } finally {
      renameSync(`${device.rita.repo}.away`, device.rita.repo);
    }
  });

  it('reads every pack within 30 days, catches up missed days, and records a damaged pack as failed', async () => {
    const bob = device.bob;
    const packs = readdirSync(join(bob.repo, 'data')).flatMap((d) => readdirSync(join(bob.repo, 'data', d)));
    expect(packs.length).toBeGreaterThan(6);
    const checkOn = async (day: Date) => {
      simNow = day;
      const t = await requestUpkeep(deps, admin(), bob.ciId, 'check');
      return (await runUpkeep(deps, t.id))!;
    };
    const read = new Set<number>();
    let packsRead = 0;
    const start = new Date('2027-03-02T02:30:00Z');
    for (let i = 0; i < 30; i++) {
      const t = await checkOn(new Date(start.getTime() + i * DAY + (i % 3) * 60_000));
      expect(t.outcome).toBe('ok');
      expect(t.details.groups).toHaveLength(1);
      for (const g of t.details.groups!) read.add(g);
      packsRead += t.details.packsRead!;
    }
    expect(read.size).toBe(30);
    expect(packs.every((p) => read.has(groupOf(p)))).toBe(true);
    expect(packsRead).toBe(packs.length);
    // Three days without a check: the next one reads three groups.
    const later = await checkOn(new Date(start.getTime() + 32 * DAY));
    expect(later.details.groups).toHaveLength(3);
    // A damaged pack is found on the day its group is read, at the latest 30 days later.
    const victim = packs
      .map((p) => ({ p, size: statSync(join(bob.repo, 'data', p.slice(0, 2), p)).size }))
      .sort((a, b) => b.size - a.size)[0]!.p;
    const file = join(bob.repo, 'data', victim.slice(0, 2), victim);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(file, bytes);
    // The next check reads the next group only; the one after, some days later, catches up through the
    // damaged pack's group and fails.
    const g = groupOf(victim);
    let day = 33;
    let next = later.details.nextGroup!;
    if (next !== g) {
      const quiet = await checkOn(new Date(start.getTime() + day++ * DAY));
      expect(quiet).toMatchObject({ outcome: 'ok', details: { groups: [next] } });
      next = quiet.details.nextGroup!;
    }
    const failed = await checkOn(new Date(start.getTime() + (day - 1 + ((g - next + 30) % 30) + 1) * DAY));
    expect(failed.outcome).toBe('failed');
    expect(failed.details.groups).toContain(g);
    expect(failed.summary).toMatch(/: \d+ errors? found$/);
    expect(failed.details.errors!.join('\n')).toContain(victim);
    expect(failed.error).toContain(victim);
    expect((await latestUpkeep(app.server.ctx, bob.ciId)).check).toMatchObject({
      id: failed.id,
      outcome: 'failed',
    });
  });
});

describe('the rotating check’s plan', () => {
  const at = new Date('2027-01-10T02:30:00Z');
  const days = (n: number, minutes = 0) => new Date(at.getTime() + n * DAY + minutes * 60_000);

  it('reads the group after the last one, one per day since, catching up at most a whole round', () => {
    expect(groupsToRead(undefined, at)).toEqual({ groups: [1], nextGroup: 2 });
    expect(groupsToRead({ at, nextGroup: 7 }, days(1, -3))).toEqual({ groups: [7], nextGroup: 8 });
    // Run twice the same day (an admin asks for one): the next group, not none.
    expect(groupsToRead({ at, nextGroup: 7 }, days(0, 5))).toEqual({ groups: [7], nextGroup: 8 });
    expect(groupsToRead({ at, nextGroup: 29 }, days(3))).toEqual({ groups: [29, 30, 1], nextGroup: 2 });
    const long = groupsToRead({ at, nextGroup: 12 }, days(45));
    expect(long.groups).toHaveLength(30);
    expect(new Set(long.groups).size).toBe(30);
    expect(long.nextGroup).toBe(12);
  });

  it('names a pack’s group as restic’s --read-data-subset n/30 does', () => {
    expect(groupOf('00' + 'a'.repeat(62))).toBe(1);
    expect(groupOf('1e' + 'a'.repeat(62))).toBe(1);
    expect(groupOf('ff' + 'a'.repeat(62))).toBe((255 % 30) + 1);
  });
});
