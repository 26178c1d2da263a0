/**
 * prune's repack rules (restic 0.16/0.17): small packs merged, uncompressed packs compressed,
 * cacheable-only, max repack size, dry run; checked by our check and by the real restic.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backup } from './archiver.js';
import { LocalBackend } from './backend/local.js';
import { checkRepository } from './check.js';
import { prune, PruneRefusedError } from './prune.js';
import { Repository } from './repository.js';
import { makeRepo, tempDir, TEST_PASSWORD } from './testkit.js';
import { restic, resticAvailable } from '../../test/interop/restic-helpers.js';
import type { CompressionMode } from './packer.js';

/** Every file of a directory tree with its size and mtime. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

async function packKinds(repo: Repository): Promise<Map<string, Set<string>>> {
  await repo.reloadIndex();
  const m = new Map<string, Set<string>>();
  for (const e of repo.index.entries()) {
    if (!m.has(e.packId)) m.set(e.packId, new Set());
    m.get(e.packId)!.add(e.type);
  }
  return m;
}

/** A repository with `n` tiny backups (each writes its own small data pack and tree pack). */
async function tinyBackups(n: number, compression: CompressionMode = 'auto') {
  const root = tempDir('steward-prune-');
  const repoDir = join(root, 'repo');
  const repo = await makeRepo(2, repoDir);
  const snaps: { id: string; src: string; files: Map<string, string> }[] = [];
  for (let i = 0; i < n; i++) {
    const src = join(root, `src${i}`);
    mkdirSync(src);
    const files = new Map<string, string>();
    for (let j = 0; j < 2; j++) {
      const body = `backup ${i} file ${j} `.repeat(50 + i * 7 + j);
      writeFileSync(join(src, `f${j}.txt`), body);
      files.set(`f${j}.txt`, body);
    }
    const r = await backup(repo, { targets: [src], hostname: 'h', compression });
    snaps.push({ id: r.snapshotId, src, files });
  }
  return { root, repoDir, repo, snaps };
}

async function verify(t: Awaited<ReturnType<typeof tinyBackups>>): Promise<void> {
  const reopened = await Repository.open(new LocalBackend(t.repoDir), TEST_PASSWORD);
  const c = await checkRepository(reopened, { readData: true });
  expect(c.errors).toEqual([]);
  if (!resticAvailable) return;
  restic(t.repoDir, TEST_PASSWORD, ['check', '--read-data']);
  for (const [i, s] of t.snaps.entries()) {
    const target = join(t.root, `restored${i}`);
    restic(t.repoDir, TEST_PASSWORD, ['restore', s.id, '--target', target]);
    for (const [name, body] of s.files) {
      expect(readFileSync(join(target, s.src, name), 'utf8')).toBe(body);
    }
  }
}

describe('prune repacking', () => {
  it('merges many small packs with repackSmall; the result checks clean and restores identically', async () => {
    const t = await tinyBackups(6);
    const before = (await packKinds(t.repo)).size;
    expect(before).toBeGreaterThanOrEqual(12);
    const st = await prune(t.repo, { repackSmall: true });
    expect(st.packsRepacked).toBe(before);
    const after = await packKinds(t.repo);
    expect(after.size).toBeLessThan(before);
    expect(after.size).toBeLessThanOrEqual(2);
    await verify(t);
  });

  it('leaves fewer than 10 small fully used packs alone', async () => {
    const t = await tinyBackups(3);
    const before = (await packKinds(t.repo)).size;
    const st = await prune(t.repo, { repackSmall: true });
    expect(st.packsRepacked).toBe(0);
    expect((await packKinds(t.repo)).size).toBe(before);
  });

  it('maxRepackSize limits the work', async () => {
    const t = await tinyBackups(6);
    const sizes = listing(join(t.repoDir, 'data')).map((l) => Number(l.split(' ')[1]));
    const limit = Math.min(...sizes) * 4 + 1;
    const st = await prune(t.repo, { repackSmall: true, maxRepackSize: limit });
    expect(st.packsRepacked).toBeGreaterThan(0);
    expect(st.packsRepacked).toBeLessThan(sizes.length);
    expect(st.bytesRepacked).toBeLessThan(limit);
    await verify(t);
  });

  it('repackCacheableOnly touches only tree packs', async () => {
    const t = await tinyBackups(10); // at least 10 small tree packs, or restic's rule keeps them
    const before = await packKinds(t.repo);
    const dataPacks = [...before].filter(([, k]) => !k.has('tree')).map(([id]) => id);
    const st = await prune(t.repo, { repackSmall: true, repackCacheableOnly: true });
    expect(st.packsRepacked).toBe(before.size - dataPacks.length);
    const after = await packKinds(t.repo);
    for (const id of dataPacks) expect(after.has(id)).toBe(true);
    expect(after.size).toBe(dataPacks.length + 1);
    await verify(t);
  });

  it('repackUncompressed leaves no uncompressed blob', async () => {
    const t = await tinyBackups(2, 'off');
    await t.repo.reloadIndex();
    expect([...t.repo.index.entries()].some((e) => e.uncompressedLength === undefined)).toBe(true);
    const st = await prune(t.repo, { repackUncompressed: true });
    expect(st.packsRepacked).toBeGreaterThan(0);
    await t.repo.reloadIndex();
    expect([...t.repo.index.entries()].filter((e) => e.uncompressedLength === undefined)).toEqual([]);
    await verify(t);
  });

  it('dry run reports what would be repacked and changes no file', async () => {
    const t = await tinyBackups(6);
    const before = listing(t.repoDir);
    const st = await prune(t.repo, { repackSmall: true, dryRun: true });
    expect(st.packsRepacked).toBe((await packKinds(t.repo)).size);
    const after = listing(t.repoDir).filter((l) => !l.startsWith('locks'));
    expect(after).toEqual(before.filter((l) => !l.startsWith('locks')));
  });

  it('refuses bad option values clearly (CLI parsing: src/cli/repo-maint.test.ts)', async () => {
    const t = await tinyBackups(1);
    const v1 = await makeRepo(1, join(t.root, 'v1'));
    await expect(prune(v1, { repackUncompressed: true })).rejects.toThrow(PruneRefusedError);
    await expect(prune(t.repo, { maxRepackSize: -1 })).rejects.toThrow(/repack size/);
  });
});
