import { mkdirSync, rmSync, utimesSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, findParent } from './archiver.js';
import { CACHEDIR_SIGNATURE } from './excludes.js';
import type { Repository } from './repository.js';
import type { StoredSnapshot } from './snapshot.js';
import { makeRepo, tempDir } from './testkit.js';
import { walkTree } from './walk.js';
import { jsonProgress } from './progress.js';
import { prng } from '../../test/interop/fixture.js';
import { Lock } from './lock.js';
import { lockTarget } from './repo-adapters.js';

async function paths(repo: Repository, tree: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of walkTree(repo, tree)) out.set(e.path, e.node.type);
  return out;
}

async function subtreeOf(repo: Repository, tree: string, path: string): Promise<string | undefined> {
  for await (const e of walkTree(repo, tree)) if (e.path === path) return e.node.subtree;
  return undefined;
}

describe('backup (archiver)', () => {
  let repo: Repository;
  let dir = '';
  let src = '';
  beforeAll(async () => {
    repo = await makeRepo();
    dir = tempDir('steward-archiver-');
    src = join(dir, 'src');
    mkdirSync(join(src, 'cache'), { recursive: true });
    mkdirSync(join(src, 'marked'), { recursive: true });
    mkdirSync(join(src, 'keep'), { recursive: true });
    writeFileSync(join(src, 'cache', 'CACHEDIR.TAG'), `${CACHEDIR_SIGNATURE}\n`);
    writeFileSync(join(src, 'cache', 'blob'), 'cached');
    writeFileSync(join(src, 'marked', '.nobackup'), '');
    writeFileSync(join(src, 'keep', 'a.txt'), 'a');
    writeFileSync(join(src, 'keep', 'b.tmp'), 'b');
    writeFileSync(join(src, 'keep', 'C.JPG'), 'c');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dirname((repo.backend as unknown as { root: string }).root), { recursive: true, force: true });
  });

  it('stores an absolute target under its real ancestors (root holds the first path component)', async () => {
    const r = await backup(repo, { targets: [join(src, 'keep')] });
    const p = await paths(repo, r.snapshot.tree);
    const comps = join(src, 'keep').split('/').filter(Boolean);
    let acc = '';
    for (const c of comps) {
      acc += `/${c}`;
      expect(p.get(acc)).toBe('dir');
    }
    expect(p.get(`${acc}/a.txt`)).toBe('file');
    expect(r.snapshot.paths).toEqual([join(src, 'keep')]);
  });

  it('applies --exclude, --iexclude, --exclude-caches and --exclude-if-present', async () => {
    const r = await backup(repo, {
      targets: [src],
      exclude: {
        excludes: ['*.tmp'],
        iexcludes: ['*.jpg'],
        excludeCaches: true,
        excludeIfPresent: ['.nobackup'],
      },
    });
    const p = await paths(repo, r.snapshot.tree);
    expect(p.has(`${src}/keep/a.txt`)).toBe(true);
    expect(p.has(`${src}/keep/b.tmp`)).toBe(false);
    expect(p.has(`${src}/keep/C.JPG`)).toBe(false);
    // As restic: the marked folders stay with their markers, nothing else of them.
    expect(p.has(`${src}/cache/CACHEDIR.TAG`)).toBe(true);
    expect(p.has(`${src}/cache/blob`)).toBe(false);
    expect(p.has(`${src}/marked/.nobackup`)).toBe(true);
    expect(r.snapshot.excludes).toEqual(['*.tmp', '*.jpg']);
  });

  it('leaves out files larger than excludeLargerThan and counts them (restic --exclude-larger-than)', async () => {
    const big = join(dir, 'sizes');
    mkdirSync(join(big, 'sub'), { recursive: true });
    writeFileSync(join(big, 'small.bin'), Buffer.alloc(1000, 1));
    writeFileSync(join(big, 'exact.bin'), Buffer.alloc(2000, 2));
    writeFileSync(join(big, 'sub', 'large.bin'), Buffer.alloc(2001, 3));
    writeFileSync(join(big, 'huge.bin'), Buffer.alloc(300_000, 4));
    let totals = { files: -1, bytes: -1, scanDone: false };
    const r = await backup(repo, {
      targets: [big],
      excludeLargerThan: 2000,
      progress: {
        status: (c) => (totals = { files: c.totalFiles, bytes: c.totalBytes, scanDone: c.scanDone }),
        warning: () => undefined,
      },
    });
    // The scan for percent and ETA leaves them out too.
    expect(totals).toEqual({ files: 2, bytes: 3000, scanDone: true });
    const p = await paths(repo, r.snapshot.tree);
    expect(p.get(`${big}/small.bin`)).toBe('file');
    expect(p.get(`${big}/exact.bin`)).toBe('file');
    expect(p.get(`${big}/sub`)).toBe('dir');
    expect(p.has(`${big}/sub/large.bin`)).toBe(false);
    expect(p.has(`${big}/huge.bin`)).toBe(false);
    expect(r.skippedLarge).toEqual({ files: 2, bytes: 302_001 });
    expect(r.summary.total_files_processed).toBe(2);
    expect(r.summary.total_bytes_processed).toBe(3000);
    const all = await backup(repo, { targets: [big] });
    expect(all.skippedLarge).toEqual({ files: 0, bytes: 0 });
    expect((await paths(repo, all.snapshot.tree)).has(`${big}/huge.bin`)).toBe(true);
  });

  it('reuses unchanged files from the parent without reading them, and notices a same-size rewrite by ctime', async () => {
    const first = await backup(repo, { targets: [src] });
    const parent = (await findParent(repo, first.snapshot.hostname!, [src])) as StoredSnapshot;
    expect(parent.id).toBe(first.snapshotId);
    const again = await backup(repo, { targets: [src], parent });
    expect(again.summary).toMatchObject({ files_new: 0, files_changed: 0, data_blobs: 0 });
    expect(again.summary.files_unmodified).toBe(first.summary.files_new + first.summary.files_unmodified);
    // The target's subtree is identical (the root also holds /tmp, whose mtime other processes move).
    expect(await subtreeOf(repo, again.snapshot.tree, src)).toBe(
      await subtreeOf(repo, first.snapshot.tree, src),
    );
    const f = join(src, 'keep', 'a.txt');
    const st = statSync(f);
    writeFileSync(f, 'z');
    utimesSync(f, st.atime, st.mtime); // same size and mtime: only ctime tells
    const third = await backup(repo, { targets: [src], parent: await repo.findSnapshot(again.snapshotId) });
    expect(third.summary.files_changed).toBe(1);
  });

  it('keeps a mount point as an empty directory with one-file-system', async () => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(dir).dev) return;
    const shm = join(dir, 'mnt');
    mkdirSync(shm);
    const marker = `/dev/shm/steward-archiver-${process.pid}`;
    writeFileSync(marker, 'x');
    try {
      const all = await backup(repo, { targets: ['/dev/shm'] });
      expect((await paths(repo, all.snapshot.tree)).has(marker)).toBe(true);
      const one = await backup(repo, {
        targets: ['/dev'],
        exclude: { oneFileSystem: true, excludes: ['/dev/pts', '/dev/mqueue', '/dev/hugepages'] },
      });
      const p = await paths(repo, one.snapshot.tree);
      expect(p.get('/dev/shm')).toBe('dir');
      expect(p.has(marker)).toBe(false);
    } finally {
      rmSync(marker, { force: true });
    }
  });

  it('warns (and goes on) for a file that changes while read and for a missing target', async () => {
    const lines: string[] = [];
    // /proc files stat as empty but read with content: a deterministic "changed while read".
    const r = await backup(repo, {
      targets: [`/proc/${process.pid}/status`, join(dir, 'missing')],
      progress: jsonProgress((l) => lines.push(l)),
    });
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/changed while it was read/);
    expect(r.warnings.some((w) => w.item === join(dir, 'missing'))).toBe(true);
    expect(lines.some((l) => l.includes('"message_type":"error"'))).toBe(true);
    expect(lines.some((l) => l.includes('"message_type":"status"'))).toBe(true);
  });

  it('chunks identically on worker threads and on the calling thread', async () => {
    const d = join(dir, 'big');
    mkdirSync(d);
    writeFileSync(join(d, 'x.bin'), prng(77, 9 * 1024 * 1024));
    writeFileSync(join(d, 'zeros'), Buffer.alloc(3 * 1024 * 1024 + 5));
    const a = await backup(repo, { targets: [d], workers: true });
    const b = await backup(repo, { targets: [d], workers: false, sealWorkers: false });
    const c = await backup(repo, { targets: [d], workers: true, sealWorkers: true });
    expect(a.summary.files_new).toBe(2);
    // Compare the target's own subtree: the root also holds /tmp, whose mtime other processes move.
    const sub = (tree: string): Promise<string | undefined> => subtreeOf(repo, tree, d);
    const ta = await sub(a.snapshot.tree);
    expect(ta).toBeDefined();
    expect(await sub(b.snapshot.tree)).toBe(ta);
    expect(await sub(c.snapshot.tree)).toBe(ta);
  });

  it('does not save the snapshot when its lock could not be refreshed', async () => {
    const lock = await Lock.acquire(lockTarget(repo), false, {
      checkDelayMs: 1,
      refreshMs: 3_600_000,
      staleMs: 1_800_000,
    });
    try {
      lock.refreshError = new Error('backend unreachable');
      const before = (await repo.listSnapshots()).length;
      await expect(backup(repo, { targets: [join(src, 'keep')], lock })).rejects.toThrow(
        /lost the repository lock/,
      );
      expect((await repo.listSnapshots()).length).toBe(before);
    } finally {
      await lock.release();
    }
  });

  it('stores sockets and fifos as nodes without content', async () => {
    const d = join(dir, 'special');
    mkdirSync(d);
    const server = createServer();
    await new Promise<void>((res) => server.listen(join(d, 'sock'), res));
    try {
      const r = await backup(repo, { targets: [d] });
      expect((await paths(repo, r.snapshot.tree)).get(`${d}/sock`)).toBe('socket');
    } finally {
      await new Promise((res) => server.close(res));
    }
  });
});
