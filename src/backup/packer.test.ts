import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRepository } from './check.js';
import { sha256Hex } from './crypto.js';
import { decodeIndex } from './index.js';
import { parsePack } from './pack.js';
import { BlobSaver, PackSaveError } from './packer.js';
import type { CompressionMode } from './packer.js';
import { packerTarget } from './repo-adapters.js';
import { Repository } from './repository.js';
import { makeRepo, TEST_PASSWORD } from './testkit.js';
import { prng } from '../../test/interop/fixture.js';
import { FailingBackend, failPack } from '../../test/support/failing-storage.js';

const roots: string[] = [];
async function repoFor(version: 1 | 2 = 2): Promise<Repository> {
  const r = await makeRepo(version);
  roots.push(dirname((r.backend as unknown as { root: string }).root));
  return r;
}
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function packFiles(repo: Repository): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const f of repo.backend.list('pack'))
    out.push(await repo.backend.load({ type: 'pack', name: f.name }));
  return out;
}

describe('BlobSaver', () => {
  it('keeps data and tree blobs in separate packs, cuts packs at the target size, and indexes every blob', async () => {
    const repo = await repoFor();
    const saver = new BlobSaver(packerTarget(repo), { packSize: 4 * 1024 * 1024, compression: 'off' });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await saver.save('data', prng(i, 1024 * 1024))).id);
    await saver.save('tree', Buffer.from('{"nodes":[]}\n'));
    await saver.flush();
    const packs = await packFiles(repo);
    expect(packs.length).toBeGreaterThanOrEqual(4);
    for (const p of packs) {
      const blobs = parsePack(repo.key, p);
      expect(new Set(blobs.map((b) => b.type)).size).toBe(1);
      expect(p.length).toBeLessThan(4 * 1024 * 1024 + 2 * 1024 * 1024);
    }
    const fresh = await Repository.open(repo.backend, TEST_PASSWORD);
    for (const id of ids) expect(fresh.index.has('data', id)).toBe(true);
    expect((await checkRepository(fresh, { readData: true })).errors).toEqual([]);
    expect(saver.stats).toMatchObject({ dataBlobs: 10, treeBlobs: 1 });
  });

  it('dedups against the index and against blobs queued in the same session', async () => {
    const repo = await repoFor();
    const a = new BlobSaver(packerTarget(repo));
    const data = prng(1, 100_000);
    const [x, y] = await Promise.all([a.save('data', data), a.save('data', data)]);
    expect([x.known, y.known].sort()).toEqual([false, true]);
    expect((await a.save('tree', data)).known).toBe(false); // other type, other blob
    await a.flush();
    const b = new BlobSaver(packerTarget(repo));
    expect((await b.save('data', data)).known).toBe(true);
    await b.flush();
    expect(b.stats.packs).toBe(0);
  });

  it.each<[CompressionMode, boolean]>([
    ['auto', true],
    ['max', true],
    ['off', false],
  ])('compression %s: compressed data blobs = %s, trees always compressed', async (mode, compressed) => {
    const repo = await repoFor();
    const s = new BlobSaver(packerTarget(repo), { compression: mode });
    const text = Buffer.from('compressible '.repeat(10_000));
    await s.save('data', text);
    await s.save('data', Buffer.alloc(0));
    await s.save('tree', Buffer.from(`{"nodes":[]}\n${' '.repeat(100)}`));
    await s.flush();
    const entries = [...repo.index.entries()];
    const data = entries.find((e) => e.type === 'data' && e.id === sha256Hex(text))!;
    expect(data.uncompressedLength !== undefined).toBe(compressed);
    expect(
      entries.find((e) => e.type === 'data' && e.id === sha256Hex(Buffer.alloc(0)))!.uncompressedLength,
    ).toBeUndefined();
    expect(entries.find((e) => e.type === 'tree')!.uncompressedLength).toBeDefined();
    expect(
      (await checkRepository(await Repository.open(repo.backend, TEST_PASSWORD), { readData: true })).errors,
    ).toEqual([]);
  });

  it('never compresses in a v1 repository', async () => {
    const repo = await repoFor(1);
    const s = new BlobSaver(packerTarget(repo));
    await s.save('data', Buffer.from('x'.repeat(5000)));
    await s.save('tree', Buffer.from('{"nodes":[]}\n'));
    await s.flush();
    expect([...repo.index.entries()].every((e) => e.uncompressedLength === undefined)).toBe(true);
  });

  it('cuts index files at the blob limit', async () => {
    const repo = await repoFor();
    const s = new BlobSaver(packerTarget(repo), { indexMaxBlobs: 5, packSize: 4 * 1024 * 1024 });
    for (let i = 0; i < 12; i++) await s.save('data', prng(100 + i, 600_000));
    await s.flush();
    const sizes: number[] = [];
    for await (const f of repo.backend.list('index')) {
      const idx = decodeIndex(await repo.loadUnpacked('index', f.name));
      sizes.push(idx.packs.reduce((a, p) => a + p.blobs.length, 0));
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
    expect(sizes.length).toBeGreaterThan(1);
  });
});

describe('BlobSaver when a pack cannot be stored', () => {
  it('fails every later call with that error and never indexes the pack', async () => {
    const repo = await repoFor();
    const failing = new FailingBackend(repo.backend, failPack(2));
    const target = packerTarget(new Repository(failing, repo.key, repo.keyId, repo.config));
    const saver = new BlobSaver(target, { packSize: 2 * 1024 * 1024, compression: 'off' });
    const outcome = async (): Promise<void> => {
      for (let i = 0; i < 12; i++) await saver.save('data', prng(100 + i, 1024 * 1024));
      await saver.flush();
    };
    const err = await outcome().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackSaveError);
    expect((err as PackSaveError).packId).toBe([...failing.refused][0]);
    await expect(saver.save('data', prng(999, 10))).rejects.toBe(err);
    await expect(saver.flush()).rejects.toBe(err);
    await saver.abort();
    expect(saver.stats.indexFiles).toBe(0);
    expect((await Repository.open(repo.backend, TEST_PASSWORD)).index.packs()).toEqual([]);
  });
});
