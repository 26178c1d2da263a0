/**
 * Index files (`index/<id>`): `{"supersedes"?:[...],"packs":[{"id":P,"blobs":[{"id","type","offset","length","uncompressed_length"?}]}]}`.
 * Decoding feeds a {@link MasterIndex}; encoding writes Go field order.
 */
import type { Backend } from './backend/backend.js';
import type { MasterKey } from './crypto.js';
import { FormatError } from './errors.js';
import { MasterIndex } from './master-index.js';
import type { PackedBlob } from './pack.js';
import { loadUnpacked } from './unpacked.js';

export { MasterIndex, type BlobLocation, type IndexEntry } from './master-index.js';

/** One pack of an index file. */
export interface IndexPack {
  id: string;
  blobs: PackedBlob[];
}

/** A decoded index file. */
export interface IndexFile {
  supersedes: string[];
  packs: IndexPack[];
}

interface RawBlob {
  id?: unknown;
  type?: unknown;
  offset?: unknown;
  length?: unknown;
  uncompressed_length?: unknown;
}

const isU32 = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const ID = /^[0-9a-f]{64}$/;

/** Parses an index file's JSON (also the legacy bare-array form); throws {@link FormatError} on bad shapes. */
export function decodeIndex(json: Buffer | string): IndexFile {
  let j: unknown;
  try {
    j = JSON.parse(json.toString());
  } catch {
    throw new FormatError('index is not JSON');
  }
  const o = (Array.isArray(j) ? { packs: j } : j) as { supersedes?: unknown; packs?: unknown };
  if (typeof o !== 'object' || o === null || !Array.isArray(o.packs))
    throw new FormatError('index: no packs list');
  const supersedes = Array.isArray(o.supersedes)
    ? o.supersedes.filter((s): s is string => typeof s === 'string')
    : [];
  const packs: IndexPack[] = [];
  for (const p of o.packs as { id?: unknown; blobs?: unknown }[]) {
    if (typeof p?.id !== 'string' || !ID.test(p.id) || !Array.isArray(p.blobs))
      throw new FormatError('index: malformed pack entry');
    const blobs: PackedBlob[] = [];
    for (const b of p.blobs as RawBlob[]) {
      if (
        typeof b?.id !== 'string' ||
        !ID.test(b.id) ||
        (b.type !== 'data' && b.type !== 'tree') ||
        !isU32(b.offset) ||
        !isU32(b.length)
      ) {
        throw new FormatError(`index: malformed blob entry in pack ${p.id}`);
      }
      const e: PackedBlob = { id: b.id, type: b.type, offset: b.offset, length: b.length };
      if (b.uncompressed_length !== undefined && b.uncompressed_length !== null) {
        if (!isU32(b.uncompressed_length))
          throw new FormatError(`index: malformed uncompressed_length in pack ${p.id}`);
        e.uncompressedLength = b.uncompressed_length;
      }
      blobs.push(e);
    }
    packs.push({ id: p.id, blobs });
  }
  return { supersedes, packs };
}

/** An index file's JSON, in Go field order (`supersedes` omitted when empty). */
export function encodeIndex(packs: readonly IndexPack[], supersedes: readonly string[] = []): string {
  const parts: string[] = [];
  for (const p of packs) {
    const blobs = p.blobs.map(
      (b) =>
        `{"id":"${b.id}","type":"${b.type}","offset":${b.offset},"length":${b.length}${b.uncompressedLength !== undefined ? `,"uncompressed_length":${b.uncompressedLength}` : ''}}`,
    );
    parts.push(`{"id":"${p.id}","blobs":[${blobs.join(',')}]}`);
  }
  const sup = supersedes.length ? `"supersedes":[${supersedes.map((s) => `"${s}"`).join(',')}],` : '';
  return `{${sup}"packs":[${parts.join(',')}]}`;
}

/**
 * Writes `packs` as complete index files, cut at `maxBlobs` blobs each (restic: 50,000); returns their ids.
 * `save` encrypts and stores one index JSON document (Repository.saveUnpacked).
 */
export async function writeIndexFiles(
  save: (json: string) => Promise<string>,
  packs: readonly IndexPack[],
  maxBlobs = 50_000,
): Promise<string[]> {
  const written: string[] = [];
  let batch: IndexPack[] = [];
  let n = 0;
  for (const p of packs) {
    batch.push(p);
    n += p.blobs.length;
    if (n >= maxBlobs) {
      written.push(await save(encodeIndex(batch)));
      batch = [];
      n = 0;
    }
  }
  if (batch.length > 0) written.push(await save(encodeIndex(batch)));
  return written;
}

/** Adds every blob of an index file to `mi`. */
export function addIndexFile(mi: MasterIndex, f: IndexFile): void {
  for (const p of f.packs) for (const b of p.blobs) mi.add(p.id, b);
}

/** A problem met while loading the index files; loading goes on with the others. */
export interface IndexLoadError {
  indexId: string;
  error: Error;
}

/**
 * Loads every index file into a new master index. Unreadable files are reported, not fatal (check lists them).
 * Index files named in another file's legacy `supersedes` list are skipped, as restic does; that rare case costs a
 * second pass, so the common case never holds decoded files (an object per blob) in memory.
 */
export async function loadMasterIndex(
  backend: Backend,
  key: MasterKey,
  concurrency = 8,
): Promise<{ index: MasterIndex; errors: IndexLoadError[]; indexIds: string[] }> {
  const all: string[] = [];
  for await (const f of backend.list('index')) all.push(f.name);
  const superseded = new Set<string>();
  const pass = async (ids: string[]): Promise<{ index: MasterIndex; errors: IndexLoadError[] }> => {
    const index = new MasterIndex();
    const errors: IndexLoadError[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const f = decodeIndex(await loadUnpacked(backend, key, 'index', id));
          for (const s of f.supersedes) superseded.add(s);
          addIndexFile(index, f);
        } catch (e) {
          errors.push({ indexId: id, error: e instanceof Error ? e : new Error(String(e)) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    return { index, errors };
  };
  const first = await pass(all);
  if (!all.some((id) => superseded.has(id))) return { ...first, indexIds: all };
  const kept = all.filter((id) => !superseded.has(id));
  return { ...(await pass(kept)), indexIds: kept };
}
