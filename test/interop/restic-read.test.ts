/**
 * Interop: Steward reads what restic wrote (restic's own test repositories and a fresh v2 repository made by the
 * real `restic` binary), restores identically to `restic restore`, re-encodes restic's tree blobs byte for byte,
 * and reports the broken repositories as errors. Also: restic accepts a repository built by Steward's primitives.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { checkRepository } from '../../src/backup/check.js';
import { Repository } from '../../src/backup/repository.js';
import { restoreSnapshot } from '../../src/backup/restore.js';
import { encodeTree } from '../../src/backup/tree.js';
import { listSnapshotNodes } from '../../src/backup/ls.js';
import { snapshotStats } from '../../src/backup/stats.js';
import {
  makeRepo,
  node,
  putBlobs,
  putSnapshot,
  putTree,
  TEST_PASSWORD,
  tempDir,
  removeTempDirs,
} from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { restic, resticAvailable, resticRun } from './restic-helpers.js';

afterAll(removeTempDirs);

const TESTDATA = [
  process.env.STEWARD_RESTIC_TESTDATA,
  join(process.cwd(), '..', 'shared', 'restic-testdata'),
  '/work/shared/restic-testdata',
].find((p): p is string => !!p && existsSync(join(p, 'small-repo.tar.gz')));
const PW = 'geheim';
const HEALTHY: Record<string, number> = {
  'small-repo': 4,
  'repo-layout-default': 3,
  'repo-mixed': 1,
  'repo-obsolete-index': 1,
  'repo-unreferenced-data': 1,
  'repo-restore-permissions-test': 1,
  'repo-duplicates': 1,
};
const BROKEN: Record<string, number> = {
  'repo-data-missing': 1,
  'repo-index-missing-blob': 1,
  'repo-index-missing': 2,
  'repo-unused-data-missing': 1,
};

const haveRestic = requireComponent(
  'restic-read interop',
  resticAvailable,
  'the `restic` binary is not installed (apt-get install restic)',
);
const haveData = requireComponent(
  'restic-read interop',
  TESTDATA !== undefined,
  'shared/restic-testdata not found (set STEWARD_RESTIC_TESTDATA)',
);

function unpack(name: string): string {
  const dir = tempDir(`steward-${name}-`);
  execFileSync('tar', ['-xzf', join(TESTDATA!, `${name}.tar.gz`), '-C', dir]);
  return join(dir, 'repo');
}

interface Entry {
  kind: string;
  mode: number;
  size: number;
  hash: string;
  target: string;
  mtimeUs: bigint;
  uid: number;
  gid: number;
  ino: bigint;
}

/** Every entry below `root` keyed by relative raw path (hex-safe), with what a restore must reproduce. */
function scan(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: Buffer, rel: string): void => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = `${rel}/${name.toString('latin1')}`;
      const st = lstatSync(p, { bigint: true });
      const kind = st.isDirectory()
        ? 'dir'
        : st.isSymbolicLink()
          ? 'symlink'
          : st.isFile()
            ? 'file'
            : st.isFIFO()
              ? 'fifo'
              : 'other';
      out.set(r, {
        kind,
        mode: Number(st.mode & 0o7777n),
        size: kind === 'file' ? Number(st.size) : 0,
        hash: kind === 'file' ? createHash('sha256').update(readFileSync(p)).digest('hex') : '',
        target: kind === 'symlink' ? readlinkSync(p, { encoding: 'buffer' }).toString('hex') : '',
        // Node sets times to the microsecond (libuv), restic to the nanosecond.
        mtimeUs: kind === 'symlink' ? 0n : st.mtimeNs / 1000n,
        uid: Number(st.uid),
        gid: Number(st.gid),
        ino: st.ino,
      });
      if (kind === 'dir') walk(p, r);
    }
  };
  walk(Buffer.from(root), '');
  return out;
}

/** Asserts two restored trees are the same, hard-link structure included. */
function expectSameTree(ours: string, theirs: string): void {
  const a = scan(ours);
  const b = scan(theirs);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  expect(a.size).toBeGreaterThan(0);
  const linkGroups = (m: Map<string, Entry>): string[][] => {
    const g = new Map<bigint, string[]>();
    for (const [k, e] of m) if (e.kind === 'file') g.set(e.ino, [...(g.get(e.ino) ?? []), k]);
    return [...g.values()]
      .filter((x) => x.length > 1)
      .map((x) => x.sort())
      .sort();
  };
  for (const [k, e] of a) {
    const { ino: _i, ...mine } = e;
    const { ino: _j, ...theirsE } = b.get(k)!;
    expect({ path: k, ...mine }).toEqual({ path: k, ...theirsE });
  }
  expect(linkGroups(a)).toEqual(linkGroups(b));
}

async function reencodeAllTrees(repo: Repository): Promise<number> {
  let n = 0;
  for (const e of repo.index.entries()) {
    if (e.type !== 'tree') continue;
    const raw = await repo.loadBlob('tree', e.id);
    expect(
      encodeTree((await repo.loadTree(e.id)).nodes).equals(raw),
      `tree ${e.id} re-encodes identically`,
    ).toBe(true);
    n++;
  }
  return n;
}

describe.runIf(haveRestic && haveData)('restic test repositories', () => {
  for (const [name, count] of Object.entries(HEALTHY)) {
    it(`${name}: lists, checks clean, re-encodes trees and restores like restic`, async () => {
      const dir = unpack(name);
      const repo = await Repository.open(new LocalBackend(dir), PW);
      const snaps = await repo.listSnapshots();
      expect(snaps).toHaveLength(count);
      const theirs = JSON.parse(restic(dir, PW, ['snapshots', '--json'])) as { id: string; tree: string }[];
      expect(snaps.map((s) => s.id).sort()).toEqual(theirs.map((s) => s.id).sort());
      const chk = await checkRepository(repo, { readData: true });
      expect(chk.errors).toEqual([]);
      expect(await reencodeAllTrees(repo)).toBeGreaterThan(0);
      for (const s of snaps) {
        const mine = tempDir();
        const res = await restoreSnapshot(repo, s.tree, { target: mine, verify: true });
        expect(res.errors).toEqual([]);
        expect(res.verifyErrors).toEqual([]);
        const ref = tempDir();
        restic(dir, PW, ['restore', s.id, '--target', ref]);
        expectSameTree(mine, ref);
      }
    });
  }

  for (const [name, count] of Object.entries(BROKEN)) {
    it(`${name}: check reports errors (no crash, no pass)`, async () => {
      const dir = unpack(name);
      const repo = await Repository.open(new LocalBackend(dir), PW);
      expect(await repo.listSnapshots()).toHaveLength(count);
      const r = await checkRepository(repo, { readData: true });
      expect(r.errors.length).toBeGreaterThan(0);
      // restic's own verdict (exit 1) is in the testdata README; running it here costs minutes of retries.
    });
  }
});

/** A source tree with the awkward cases: unicode and non-UTF-8 names, links, empty, sparse and large files. */
function makeSource(root: string): void {
  const d = join(root, 'src');
  mkdirSync(join(d, 'nested', 'deeper'), { recursive: true });
  writeFileSync(join(d, 'hello.txt'), 'hello\n');
  writeFileSync(join(d, 'ünïcödé-日本語 😀.txt'), 'unicode\n');
  writeFileSync(join(d, 'nb\u00a0sp and\u2028sep'), 'odd\n');
  writeFileSync(join(d, 'quote"back\\slash<&>'), 'q\n');
  writeFileSync(join(d, 'new\nline'), 'nl\n');
  writeFileSync(Buffer.from(`${d}/bad-\xff-utf8`, 'latin1'), 'latin1 name\n');
  writeFileSync(join(d, 'empty'), '');
  const big = Buffer.alloc(3 * 1024 * 1024);
  let x = 12345;
  for (let i = 0; i < big.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    big[i] = x >>> 24;
  }
  writeFileSync(join(d, 'nested', 'big.bin'), big);
  writeFileSync(join(d, 'nested', 'zeros.bin'), Buffer.alloc(2 * 1024 * 1024));
  writeFileSync(join(d, 'nested', 'deeper', 'exec.sh'), '#!/bin/sh\n');
  chmodSync(join(d, 'nested', 'deeper', 'exec.sh'), 0o755);
  writeFileSync(join(d, 'private'), 'secret\n');
  chmodSync(join(d, 'private'), 0o600);
  linkSync(join(d, 'hello.txt'), join(d, 'nested', 'hardlink-to-hello'));
  symlinkSync('hello.txt', join(d, 'rel-link'));
  symlinkSync('/nonexistent/target', join(d, 'dangling-link'));
  execFileSync('mkfifo', [join(d, 'fifo')]);
  chmodSync(join(d, 'nested', 'deeper'), 0o700);
  const when = new Date('2021-03-04T05:06:07.123456Z');
  for (const p of ['hello.txt', 'empty', 'nested/big.bin', 'nested', 'nested/deeper'])
    utimesSync(join(d, p), when, when);
}

describe.runIf(haveRestic)('a v2 repository written by restic', () => {
  it('restores identically to restic, checks clean and re-encodes every tree byte for byte', async () => {
    const work = tempDir('steward-v2-');
    const repoDir = join(work, 'repo');
    makeSource(work);
    restic(repoDir, PW, ['init', '--repository-version', '2']);
    restic(repoDir, PW, ['backup', join(work, 'src')]);
    const repo = await Repository.open(new LocalBackend(repoDir), PW);
    expect(repo.version).toBe(2);
    expect([...repo.index.entries()].some((e) => e.uncompressedLength !== undefined)).toBe(true);
    expect((await checkRepository(repo, { readData: true })).errors).toEqual([]);
    expect(await reencodeAllTrees(repo)).toBeGreaterThan(3);
    const snap = await repo.findSnapshot('latest');
    const mine = tempDir();
    const res = await restoreSnapshot(repo, snap.tree, { target: mine, verify: true });
    expect(res.errors).toEqual([]);
    expect(res.verifyErrors).toEqual([]);
    const ref = tempDir();
    restic(repoDir, PW, ['restore', 'latest', '--target', ref]);
    expectSameTree(mine, ref);
    // ls and stats agree with restic's.
    const theirLs = restic(repoDir, PW, ['ls', '--json', 'latest'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { struct_type: string; path?: string })
      .filter((x) => x.struct_type === 'node')
      .map((x) => x.path);
    const ourLs: string[] = [];
    for await (const e of listSnapshotNodes(repo, snap.tree)) ourLs.push(e.path);
    expect(ourLs.sort()).toEqual(theirLs.sort());
    for (const mode of ['restore-size', 'raw-data'] as const) {
      const theirs = JSON.parse(restic(repoDir, PW, ['stats', '--json', '--mode', mode, 'latest'])) as {
        total_size: number;
        total_file_count: number;
        total_blob_count?: number;
      };
      const ours = await snapshotStats(repo, [snap], mode);
      expect(ours.totalSize).toBe(theirs.total_size);
      if (mode === 'restore-size') expect(ours.totalFileCount).toBe(theirs.total_file_count);
      else expect(ours.totalBlobCount).toBe(theirs.total_blob_count);
    }
    // And both equal the source (restic restores the absolute path below the target).
    const srcRel = join(work, 'src');
    const scanMine = scan(join(mine, srcRel));
    expect(scanMine.get('/nested/big.bin')?.size).toBe(3 * 1024 * 1024);
    expect(scanMine.get(`/bad-${'\xff'}-utf8`)?.kind).toBe('file');
    expect(scanMine.get('/rel-link')?.kind).toBe('symlink');
  });
});

describe.runIf(haveRestic)('restic reads what Steward primitives write', () => {
  it('restic check --read-data passes and restic restores the content', async () => {
    const repo = await makeRepo(2);
    const [a, b] = await putBlobs(repo, [
      { type: 'data', data: Buffer.from('steward says hi\n') },
      { type: 'data', data: Buffer.alloc(100_000, 7), compress: false },
    ]);
    const sub = await putTree(repo, [
      node('hi.txt', 'file', { content: [a!], size: 16 }),
      node('ünï <&>', 'file', { content: [b!], size: 100_000 }),
    ]);
    const root = await putTree(repo, [node('data', 'dir', { subtree: sub })]);
    await putSnapshot(repo, root, { paths: ['/data'] });
    const dir = (repo.backend as LocalBackend).root;
    const r = resticRun(dir, TEST_PASSWORD, ['check', '--read-data']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no errors were found/);
    const out = tempDir();
    restic(dir, TEST_PASSWORD, ['restore', 'latest', '--target', out]);
    expect(readFileSync(join(out, 'data', 'hi.txt'), 'utf8')).toBe('steward says hi\n');
    expect(readFileSync(join(out, 'data', 'ünï <&>')).equals(Buffer.alloc(100_000, 7))).toBe(true);
  });
});
