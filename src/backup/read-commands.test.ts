import { afterAll, describe, expect, it } from 'vitest';
import { diffTrees } from './diff.js';
import { findInSnapshots } from './find.js';
import { listSnapshotNodes } from './ls.js';
import type { Repository } from './repository.js';
import { snapshotStats } from './stats.js';
import { makeRepo, node, putBlobs, putSnapshot, putTree, removeTempDirs } from './testkit.js';

afterAll(removeTempDirs);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function twoSnapshots(): Promise<{ repo: Repository; a: string; b: string }> {
  const repo = await makeRepo(2);
  const [x, y, z] = await putBlobs(repo, [
    { type: 'data', data: Buffer.from('x'.repeat(100)) },
    { type: 'data', data: Buffer.from('y'.repeat(200)) },
    { type: 'data', data: Buffer.from('z'.repeat(300)) },
  ]);
  const docs1 = await putTree(repo, [
    node('a.txt', 'file', { content: [x!], size: 100 }),
    node('b.md', 'file', { content: [y!], size: 200 }),
  ]);
  const docs2 = await putTree(repo, [
    node('a.txt', 'file', { content: [z!], size: 300 }),
    node('c.txt', 'file', { content: [x!], size: 100 }),
  ]);
  const a = await putTree(repo, [
    node('docs', 'dir', { subtree: docs1 }),
    node('gone', 'dir', {
      subtree: await putTree(repo, [node('old.txt', 'file', { content: [y!], size: 200 })]),
    }),
  ]);
  const b = await putTree(repo, [
    node('docs', 'dir', { subtree: docs2 }),
    node('new.txt', 'file', { content: [z!], size: 300 }),
  ]);
  await putSnapshot(repo, a, { ns: 1n * 10n ** 18n, hostname: 'h1', tags: ['daily'] });
  await putSnapshot(repo, b, { ns: 2n * 10n ** 18n, hostname: 'h2' });
  return { repo, a, b };
}

describe('ls, find, diff, stats, snapshot selection', () => {
  it('lists all nodes or those of one folder', async () => {
    const { repo, a } = await twoSnapshots();
    expect((await collect(listSnapshotNodes(repo, a))).map((e) => e.path)).toEqual([
      '/docs',
      '/docs/a.txt',
      '/docs/b.md',
      '/gone',
      '/gone/old.txt',
    ]);
    expect((await collect(listSnapshotNodes(repo, a, { paths: ['/docs'] }))).map((e) => e.path)).toEqual([
      '/docs',
      '/docs/a.txt',
      '/docs/b.md',
    ]);
    expect((await collect(listSnapshotNodes(repo, a, { paths: ['/'] }))).map((e) => e.path)).toEqual([
      '/docs',
      '/gone',
    ]);
  });

  it('finds by glob across snapshots, with filters', async () => {
    const { repo } = await twoSnapshots();
    const hits = await collect(findInSnapshots(repo, ['*.txt']));
    expect(hits.map((h) => h.path)).toEqual([
      '/docs/a.txt',
      '/gone/old.txt',
      '/docs/a.txt',
      '/docs/c.txt',
      '/new.txt',
    ]);
    expect(
      (await collect(findInSnapshots(repo, ['A.TXT'], { ignoreCase: true, filter: { hosts: ['h2'] } }))).map(
        (h) => h.path,
      ),
    ).toEqual(['/docs/a.txt']);
    expect((await collect(findInSnapshots(repo, ['docs/*.md']))).map((h) => h.path)).toEqual(['/docs/b.md']);
  });

  it('diffs two snapshots', async () => {
    const { repo, a, b } = await twoSnapshots();
    const d = await diffTrees(repo, a, b);
    expect(d.changes).toEqual([
      { kind: 'M', path: '/docs/a.txt' },
      { kind: '-', path: '/docs/b.md' },
      { kind: '+', path: '/docs/c.txt' },
      { kind: '-', path: '/gone/' },
      { kind: '-', path: '/gone/old.txt' },
      { kind: '+', path: '/new.txt' },
    ]);
    expect(d.changedFiles).toBe(1);
    expect(d.added).toMatchObject({ files: 2, dirs: 0, dataBlobs: 1, bytes: 300 });
    expect(d.removed).toMatchObject({ files: 2, dirs: 1, dataBlobs: 1, bytes: 200 });
  });

  it('computes stats and selects snapshots by latest, prefix and filters', async () => {
    const { repo } = await twoSnapshots();
    const all = await repo.listSnapshots();
    expect(all.map((s) => s.hostname)).toEqual(['h1', 'h2']);
    expect((await repo.findSnapshot('latest')).hostname).toBe('h2');
    expect((await repo.findSnapshot('latest', { hosts: ['h1'] })).hostname).toBe('h1');
    expect((await repo.findSnapshot('latest', { tags: [['daily']] })).hostname).toBe('h1');
    expect((await repo.findSnapshot(all[0]!.id.slice(0, 8))).id).toBe(all[0]!.id);
    await expect(repo.findSnapshot('latest', { hosts: ['nope'] })).rejects.toThrow(/no snapshot/);
    await expect(repo.findSnapshot('')).rejects.toThrow();
    const rs = await snapshotStats(repo, all, 'restore-size');
    expect(rs).toMatchObject({
      snapshots: 2,
      totalSize: 100 + 200 + 200 + 300 + 100 + 300,
      totalFileCount: 9,
    });
    const raw = await snapshotStats(repo, all, 'raw-data');
    expect(raw.totalBlobCount).toBe(3 + 5); // data blobs + trees (two roots, two docs, gone)
    expect(raw.totalUncompressedSize).toBeGreaterThan(600);
  });
});
