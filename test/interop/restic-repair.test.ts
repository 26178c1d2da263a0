/**
 * `steward repo repair index` / `rebuild-index` / `repair snapshots` on repositories restic wrote, checked by
 * the real restic: after Steward mends a repository, `restic check --read-data` passes and restic restores.
 */
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { readPackHeader } from '../../src/backup/pack.js';
import { Repository } from '../../src/backup/repository.js';
import {
  makeRepo,
  node,
  putSnapshot,
  putTree,
  removeTempDirs,
  tempDir,
  TEST_PASSWORD,
} from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { describeTree, makeFixture, prng } from './fixture.js';
import { restic, resticAvailable, resticRun } from './restic-helpers.js';

const PW = 'repair-pw';
const run = requireComponent(
  'restic repair interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

interface SnapJson {
  id: string;
  tree: string;
  time: string;
  tags?: string[];
  original?: string;
  paths: string[];
}

function removeFiles(dir: string): void {
  chmodSync(dir, 0o700);
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
}

function packPath(repo: string, id: string): string {
  return join(repo, 'data', id.slice(0, 2), id);
}

describe.runIf(run)('repair with Steward, check with restic', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';

  beforeAll(() => {
    dir = tempDir('steward-repair-');
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('repair index rebuilds a lost index so that restic check --read-data passes and restic restores', async () => {
    const src = join(dir, 'src1');
    mkdirSync(src);
    makeFixture(src, 3 * 1024 * 1024);
    const repo = join(dir, 'repo1');
    restic(repo, PW, ['init']);
    restic(repo, PW, ['backup', src]);
    writeFileSync(join(src, 'added.bin'), prng(5, 700_000));
    restic(repo, PW, ['backup', src]);
    removeFiles(join(repo, 'index'));
    expect(resticRun(repo, PW, ['check']).status).not.toBe(0);

    const r = await cli(['-r', repo, 'repair', 'index']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('adding pack file to index');
    expect(readdirSync(join(repo, 'index')).length).toBeGreaterThan(0);
    restic(repo, PW, ['check', '--read-data']);
    const target = join(dir, 'restored1');
    restic(repo, PW, ['restore', 'latest', '--target', target]);
    expect(Object.fromEntries(describeTree(join(target, src)))).toEqual(
      Object.fromEntries(describeTree(src)),
    );

    // rebuild-index (restic's older name) with --read-all-packs over a complete index: same blobs, fresh files.
    const before = readdirSync(join(repo, 'index'));
    const again = await cli(['-r', repo, 'rebuild-index', '--read-all-packs', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const after = readdirSync(join(repo, 'index'));
    expect(after.some((f) => before.includes(f))).toBe(false);
    restic(repo, PW, ['check', '--read-data']);
  });

  it('repair index drops a lost pack, repair snapshots rewrites what used it, and restic checks the result', async () => {
    const src = join(dir, 'src2');
    mkdirSync(join(src, 'keep'), { recursive: true });
    writeFileSync(join(src, 'keep', 'a.bin'), prng(1, 900_000));
    writeFileSync(join(src, 'keep', 'small.txt'), 'small\n');
    const repo = join(dir, 'repo2');
    restic(repo, PW, ['init']);
    restic(repo, PW, ['backup', src]);
    const packsBefore = new Set(restic(repo, PW, ['list', 'packs']).trim().split('\n'));
    writeFileSync(join(src, 'lost.bin'), prng(2, 1_500_000));
    restic(repo, PW, ['backup', src]);
    const opened = await Repository.open(new LocalBackend(repo), PW);
    const newPacks = restic(repo, PW, ['list', 'packs'])
      .trim()
      .split('\n')
      .filter((p) => !packsBefore.has(p));
    let lost = '';
    for (const p of newPacks)
      if ((await readPackHeader(opened.backend, opened.key, p)).every((b) => b.type === 'data')) lost = p;
    expect(lost).not.toBe('');
    chmodSync(join(repo, 'data', lost.slice(0, 2)), 0o700);
    rmSync(packPath(repo, lost));

    const ri = await cli(['-r', repo, 'repair', 'index']);
    expect(ri.code, ri.stderr).toBe(0);
    expect(ri.stdout).toContain(`removing not found pack file ${lost}`);
    const broken = resticRun(repo, PW, ['check']);
    expect(broken.status).not.toBe(0);

    const snaps = JSON.parse(restic(repo, PW, ['snapshots', '--json'])) as SnapJson[];
    const dry = await cli(['-r', repo, 'repair', 'snapshots', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('/lost.bin": removed missing content');
    expect(dry.stdout).toContain('would modify 1 snapshots');
    expect((JSON.parse(restic(repo, PW, ['snapshots', '--json'])) as SnapJson[]).length).toBe(2);

    const rs = await cli(['-r', repo, 'repair', 'snapshots']);
    expect(rs.code, rs.stderr).toBe(0);
    expect(rs.stdout).toContain('modified 1 snapshots');
    const now = JSON.parse(restic(repo, PW, ['snapshots', '--json'])) as SnapJson[];
    expect(now.length).toBe(3);
    const repaired = now.find((s) => !snaps.some((o) => o.id === s.id))!;
    const broke = [...snaps].sort((a, b) => a.time.localeCompare(b.time))[1]!;
    expect(repaired.tags).toEqual(['repaired']);
    expect(repaired.original).toBe(broke.id);
    // The damaged original still fails check; once it is forgotten, restic finds no error.
    restic(repo, PW, ['forget', broke.id]);
    restic(repo, PW, ['check', '--read-data']);
    const target = join(dir, 'restored2');
    restic(repo, PW, ['restore', repaired.id, '--target', target]);
    const got = describeTree(join(target, src));
    expect(got.get('/keep/a.bin')).toEqual(describeTree(src).get('/keep/a.bin'));
    expect(got.get('/lost.bin')?.size).toBe(0);
  });

  it('repair snapshots --forget empties an unreadable folder and deletes a snapshot whose root is gone', async () => {
    const r = await makeRepo();
    const root = (r.backend as LocalBackend).root;
    const gone = '0'.repeat(64);
    const sub = await putTree(r, [node('f', 'file')]);
    const lostSub = await putTree(r, [node('x', 'file')]);
    const tree = await putTree(r, [
      node('a', 'dir', { subtree: sub }),
      node('b', 'dir', { subtree: lostSub }),
      node('c', 'file', { content: [gone], size: 10 }),
    ]);
    const keepId = await putSnapshot(r, tree, { paths: ['/data'] });
    const deadId = await putSnapshot(r, gone, { paths: ['/dead'] });
    // Lose the pack holding the tree of b, then mend the index.
    const lostPack = r.index.lookup('tree', lostSub)[0]!.packId;
    chmodSync(join(root, 'data', lostPack.slice(0, 2)), 0o700);
    rmSync(packPath(root, lostPack));
    process.env.RESTIC_PASSWORD = TEST_PASSWORD;
    try {
      expect((await cli(['-r', root, 'repair', 'index'])).code).toBe(0);
      const rs = await cli(['-r', root, 'repair', 'snapshots', '--forget']);
      expect(rs.code, rs.stderr).toBe(0);
      expect(rs.stdout).toContain('dir "/b": replaced with empty directory');
      expect(rs.stdout).toContain('file "/c": removed missing content');
      expect(rs.stdout).toContain(`removed empty snapshot ${deadId.slice(0, 8)}`);
      const snaps = JSON.parse(restic(root, TEST_PASSWORD, ['snapshots', '--json'])) as SnapJson[];
      expect(snaps.length).toBe(1);
      expect(snaps[0]!.original).toBe(keepId);
      expect(snaps[0]!.tags).toBeUndefined();
      restic(root, TEST_PASSWORD, ['check', '--read-data']);
      const ls = restic(root, TEST_PASSWORD, ['ls', snaps[0]!.id]);
      expect(ls).toContain('/a/f');
      expect(ls).toContain('/b');
      expect(ls).not.toContain('/b/x');
    } finally {
      process.env.RESTIC_PASSWORD = PW;
    }
  });
});
