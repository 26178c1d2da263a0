import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalBackend } from './backend/local.js';
import { checkRepository } from './check.js';
import { Repository } from './repository.js';
import { makeRepo, node, putBlobs, putSnapshot, putTree, TEST_PASSWORD, removeTempDirs } from './testkit.js';

afterAll(removeTempDirs);

async function healthy(): Promise<{ repo: Repository; blob: string }> {
  const repo = await makeRepo(2);
  const [blob] = await putBlobs(repo, [{ type: 'data', data: Buffer.alloc(10_000, 3), compress: false }]);
  const tree = await putTree(repo, [node('f', 'file', { content: [blob!], size: 10_000 })]);
  await putSnapshot(repo, tree);
  return { repo: await Repository.open(repo.backend, TEST_PASSWORD), blob: blob! };
}

function packPath(repo: Repository, blob: string): string {
  const loc = repo.index.lookup('data', blob)[0]!;
  const p = join((repo.backend as LocalBackend).root, 'data', loc.packId.slice(0, 2), loc.packId);
  chmodSync(p, 0o600);
  return p;
}

describe('check', () => {
  it('passes a healthy repository, with and without reading data', async () => {
    const { repo } = await healthy();
    expect((await checkRepository(repo)).errors).toEqual([]);
    const r = await checkRepository(repo, { readData: true, checkUnused: true });
    expect(r.errors).toEqual([]);
    expect(r.snapshots).toBe(1);
    expect(r.trees).toBe(1);
  });

  it('finds flipped bytes inside a blob only when reading data', async () => {
    const { repo, blob } = await healthy();
    const p = packPath(repo, blob);
    const b = readFileSync(p);
    b[100]! ^= 0x40;
    writeFileSync(p, b);
    expect((await checkRepository(repo)).errors).toEqual([]);
    const kinds = (await checkRepository(repo, { readData: true })).errors.map((e) => e.kind).sort();
    expect(kinds).toEqual(['blob-corrupt', 'pack-hash']);
  });

  it('reports a truncated pack, a missing pack and a corrupted header without throwing', async () => {
    const { repo, blob } = await healthy();
    const p = packPath(repo, blob);
    const b = readFileSync(p);
    writeFileSync(p, b.subarray(0, b.length - 50));
    const r = await checkRepository(repo, { readData: true });
    expect(r.errors.map((e) => e.kind)).toContain('pack-size');
    expect(r.errors.map((e) => e.kind)).toContain('pack-header');
    unlinkSync(p);
    const r2 = await checkRepository(repo, { readData: true });
    expect(r2.errors.map((e) => e.kind).sort()).toEqual(['blob-missing', 'pack-missing']);
  });

  it('reports blobs missing from the index, bad nodes and orphaned packs', async () => {
    const repo = await makeRepo(2);
    const bogus = 'f'.repeat(64);
    const tree = await putTree(repo, [
      node('a', 'file', { content: [bogus] }),
      node('b', 'dir', {}),
      node('c', 'irregular'),
      node('d', 'file', { content: null }),
    ]);
    await putSnapshot(repo, tree);
    await repo.backend.save({ type: 'pack', name: 'e'.repeat(64) }, Buffer.alloc(100));
    const r = await checkRepository(await Repository.open(repo.backend, TEST_PASSWORD));
    expect(r.errors.map((e) => e.kind).sort()).toEqual([
      'blob-missing',
      'node-invalid',
      'node-invalid',
      'node-invalid',
    ]);
    expect(r.warnings.map((e) => e.kind)).toEqual(['pack-orphaned']);
  });

  it('reports unreadable index and snapshot files', async () => {
    const { repo } = await healthy();
    await repo.backend.save(
      { type: 'index', name: 'a'.repeat(64) },
      Buffer.from('garbage that is not encrypted at all'),
    );
    await repo.backend.save({ type: 'snapshot', name: 'b'.repeat(64) }, Buffer.from('garbage'));
    const r = await checkRepository(await Repository.open(repo.backend, TEST_PASSWORD));
    expect(r.errors.map((e) => e.kind).sort()).toEqual(['index-unreadable', 'snapshot-unreadable']);
  });
});
