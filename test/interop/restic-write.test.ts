/**
 * Steward's write path against the real restic: restic must accept and restore what Steward writes,
 * both tools must take each other's snapshots as parents (which proves byte-identical trees), and
 * forget/prune must leave a repository restic checks clean.
 */
import { mkdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { backup, findParent } from '../../src/backup/archiver.js';
import { checkRepository } from '../../src/backup/check.js';
import { forget } from '../../src/backup/forget.js';
import { parseGroupBy } from '../../src/backup/forget-policy.js';
import { initRepository } from '../../src/backup/init.js';
import { prune } from '../../src/backup/prune.js';
import { Repository } from '../../src/backup/repository.js';
import { requireComponent } from '../support/requires.js';
import { describeTree, makeFixture, prng } from './fixture.js';
import { restic, resticAvailable, snapshotIds } from './restic-helpers.js';
import { tempDir, TEST_KDF } from '../../src/backup/testkit.js';

const PW = 'interop-pw';
const run = requireComponent(
  'restic write interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

interface BackupSummaryJson {
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  data_added: number;
  snapshot_id: string;
}

function resticBackup(repo: string, args: string[]): BackupSummaryJson {
  const lines = restic(repo, PW, ['backup', '--json', ...args])
    .trim()
    .split('\n');
  return JSON.parse(lines.find((l) => l.includes('"message_type":"summary"'))!) as BackupSummaryJson;
}

describe.runIf(run)('Steward writes, restic reads', () => {
  let dir = '';
  let src = '';
  let repoDir = '';
  let repo: Repository;

  beforeAll(async () => {
    dir = tempDir('steward-interop-');
    src = join(dir, 'src');
    mkdirSync(src);
    makeFixture(src);
    repoDir = join(dir, 'repo');
    repo = await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a backup that restic check --read-data accepts and restic restores identically', async () => {
    const r = await backup(repo, { targets: [src], tags: ['first'], hostname: 'interop-host' });
    expect(r.warnings).toEqual([]);
    expect(r.summary.files_new).toBeGreaterThan(10);
    restic(repoDir, PW, ['check', '--read-data']);
    const target = join(dir, 'restored');
    restic(repoDir, PW, ['restore', r.snapshotId, '--target', target]);
    const want = describeTree(src);
    const got = describeTree(join(target, src));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    const snaps = JSON.parse(restic(repoDir, PW, ['snapshots', '--json'])) as {
      id: string;
      hostname: string;
      tags: string[];
      paths: string[];
    }[];
    expect(snaps.map((s) => [s.id, s.hostname, s.tags, s.paths])).toEqual([
      [r.snapshotId, 'interop-host', ['first'], [src]],
    ]);
  });

  it('restic takes a Steward snapshot as parent and finds every file unmodified', async () => {
    const parent = await findParent(repo, 'interop-host', [src]);
    expect(parent).not.toBeNull();
    const s = resticBackup(repoDir, ['--host', 'interop-host', '--parent', parent!.id, src]);
    expect([s.files_new, s.files_changed]).toEqual([0, 0]);
    expect(s.files_unmodified).toBeGreaterThan(10);
  });

  it('Steward takes a restic snapshot as parent, finds every file unmodified and adds ~nothing', async () => {
    const ids = snapshotIds(repoDir, PW);
    await repo.reloadIndex();
    const parent = await repo.findSnapshot(ids[ids.length - 1]!);
    const r = await backup(repo, { targets: [src], parent, hostname: 'interop-host' });
    expect([r.summary.files_new, r.summary.files_changed]).toEqual([0, 0]);
    expect(r.summary.files_unmodified).toBeGreaterThan(10);
    // Identical trees: the only new tree blobs can be the ancestors of src (their mtimes moved).
    expect(r.summary.data_blobs).toBe(0);
    expect(r.snapshot.tree).not.toBe('');
  });

  it('alternating backups by both tools dedup each other', async () => {
    writeFileSync(join(src, 'added.bin'), prng(99, 3 * 1024 * 1024));
    const byRestic = resticBackup(repoDir, ['--host', 'interop-host', src]);
    expect(byRestic.files_new).toBe(1);
    await repo.reloadIndex();
    const parent = await repo.findSnapshot(byRestic.snapshot_id);
    const mine = await backup(repo, { targets: [src], parent, hostname: 'interop-host' });
    expect(mine.summary.data_blobs).toBe(0);
    appendFileSync(join(src, 'added.bin'), prng(100, 1024 * 1024));
    const mine2 = await backup(repo, {
      targets: [src],
      parent: await repo.findSnapshot(mine.snapshotId),
      hostname: 'interop-host',
    });
    expect(mine2.summary.files_changed).toBe(1);
    const byRestic2 = resticBackup(repoDir, ['--host', 'interop-host', '--parent', mine2.snapshotId, src]);
    expect([byRestic2.files_new, byRestic2.files_changed]).toEqual([0, 0]);
    expect(byRestic2.data_added).toBeLessThan(64 * 1024);
    restic(repoDir, PW, ['check']);
  });

  it('forget + prune leave a repository restic check --read-data accepts, with the kept data restorable', async () => {
    rmSync(join(src, 'large.bin'));
    writeFileSync(join(src, 'large2.bin'), prng(5, 6 * 1024 * 1024));
    await repo.reloadIndex();
    const last = await backup(repo, { targets: [src], hostname: 'interop-host', packSize: 4 * 1024 * 1024 });
    const f = await forget(repo, { policy: { last: 1 }, groupBy: parseGroupBy('host,paths') });
    expect(f.removed.length).toBeGreaterThan(3);
    const stats = await prune(repo, { maxUnused: 0 });
    expect(stats.packsRemoved + stats.packsRepacked).toBeGreaterThan(0);
    restic(repoDir, PW, ['check', '--read-data']);
    const target = join(dir, 'restored2');
    restic(repoDir, PW, ['restore', last.snapshotId, '--target', target]);
    expect(Object.fromEntries(describeTree(join(target, src)))).toEqual(
      Object.fromEntries(describeTree(src)),
    );
    const reopened = await Repository.open(new LocalBackend(repoDir), PW);
    const c = await checkRepository(reopened, { readData: true });
    expect(c.errors).toEqual([]);
  });
});
