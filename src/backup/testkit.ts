/**
 * Test support: builds small repositories with Steward's own primitives (no packer), including hostile ones that
 * restic would never write. Only tests import this module.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBackend } from './backend/local.js';
import { newConfig, saveConfig } from './config.js';
import { encrypt, newMasterKey, sha256Hex } from './crypto.js';
import { encodeIndex } from './index.js';
import { addKey } from './keys.js';
import { sealPackHeader, type BlobType, type PackedBlob } from './pack.js';
import { Repository } from './repository.js';
import { encodeSnapshot } from './snapshot.js';
import { encodeTree, sortNodes, type Node } from './tree.js';
import { zstdCompress } from './zstd.js';
import { localTime } from './gojson.js';

/** Password of every test repository. */
export const TEST_PASSWORD = 'test-password';
/** Cheap scrypt parameters so tests stay fast (never use these for real repositories). */
export const TEST_KDF = { N: 1024, r: 8, p: 1 };

const made: string[] = [];

/**
 * Removes every folder {@link tempDir} made so far (they hold multi-MiB files). Call it from `afterAll`;
 * vitest ends its worker processes without running exit handlers. STEWARD_KEEP_TMP=1 keeps them for debugging.
 */
export function removeTempDirs(): void {
  if (process.env.STEWARD_KEEP_TMP === '1') return;
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh empty temp folder (see {@link removeTempDirs}). */
export function tempDir(prefix = 'steward-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Creates a repository (v2 unless told) in a new temp folder and opens it. */
export async function makeRepo(version: 1 | 2 = 2, dir = join(tempDir(), 'repo')): Promise<Repository> {
  const backend = new LocalBackend(dir);
  await backend.create();
  const key = newMasterKey();
  const keyId = await addKey(backend, key, TEST_PASSWORD, { kdf: TEST_KDF });
  const cfg = newConfig(version);
  await saveConfig(backend, key, cfg);
  return new Repository(backend, key, keyId, cfg);
}

/** Writes the blobs into one pack plus one index file and adds them to the repository's index; returns their ids. */
export async function putBlobs(
  repo: Repository,
  blobs: { type: BlobType; data: Buffer; compress?: boolean }[],
): Promise<string[]> {
  const parts: Buffer[] = [];
  const entries: PackedBlob[] = [];
  let offset = 0;
  for (const b of blobs) {
    const id = sha256Hex(b.data);
    const compress = (b.compress ?? repo.version === 2) && b.data.length > 0;
    const enc = encrypt(repo.key, compress ? zstdCompress(b.data) : b.data);
    const e: PackedBlob = { type: b.type, id, offset, length: enc.length };
    if (compress) e.uncompressedLength = b.data.length;
    entries.push(e);
    parts.push(enc);
    offset += enc.length;
  }
  parts.push(sealPackHeader(repo.key, entries));
  const pack = Buffer.concat(parts);
  const packId = sha256Hex(pack);
  await repo.backend.save({ type: 'pack', name: packId }, pack);
  await repo.saveUnpacked('index', encodeIndex([{ id: packId, blobs: entries }]));
  for (const e of entries) repo.index.add(packId, e);
  return entries.map((e) => e.id);
}

/** A node with sensible defaults (times fixed, uid/gid of the caller). */
export function node(name: string | Buffer, type: Node['type'], extra: Partial<Node> = {}): Node {
  const t = localTime(1_700_000_000_123_456_789n);
  return {
    name: typeof name === 'string' ? Buffer.from(name) : name,
    type,
    mode: type === 'dir' ? 0x80000000 | 0o755 : type === 'symlink' ? 0x08000000 | 0o777 : 0o644,
    mtime: t,
    atime: t,
    ctime: t,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    content: type === 'file' ? [] : null,
    ...extra,
  };
}

/** Stores a tree (nodes sorted unless `keepOrder`) and returns its id. */
export async function putTree(repo: Repository, nodes: Node[], keepOrder = false): Promise<string> {
  const [id] = await putBlobs(repo, [
    { type: 'tree', data: encodeTree(keepOrder ? nodes : sortNodes([...nodes])) },
  ]);
  return id!;
}

/** Stores a snapshot of `tree` and returns its id. */
export async function putSnapshot(
  repo: Repository,
  tree: string,
  extra: { paths?: string[]; hostname?: string; tags?: string[]; ns?: bigint } = {},
): Promise<string> {
  return repo.saveUnpacked(
    'snapshot',
    encodeSnapshot({
      time: localTime(extra.ns ?? BigInt(Date.now()) * 1_000_000n),
      tree,
      paths: extra.paths ?? ['/data'],
      hostname: extra.hostname ?? 'testhost',
      tags: extra.tags,
    }),
  );
}

/**
 * Flips bits of the first stored copy of a data blob, `at` bytes into it, in a local repository's pack file
 * (made writable first). Returns the pack file's path.
 */
export function corruptBlob(repo: Repository, id: string, at: number, mask = 1): string {
  const loc = repo.index.lookup('data', id)[0]!;
  const p = join((repo.backend as LocalBackend).root, 'data', loc.packId.slice(0, 2), loc.packId);
  chmodSync(p, 0o600);
  const bytes = readFileSync(p);
  bytes[loc.offset + at]! ^= mask;
  writeFileSync(p, bytes);
  return p;
}
