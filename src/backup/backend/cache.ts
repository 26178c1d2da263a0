/**
 * A local cache of a repository's snapshot and index files (restic's `--cache-dir`), so repeated commands do not
 * download them again. Those files are content-addressed (a file's name is the SHA-256 of its bytes), so the cache
 * is checked on every read: an entry whose hash is not its name (damaged, truncated, tampered with) is removed and
 * the file is fetched from the repository again. The cache only ever holds copies; the repository stays the truth.
 * Problems with the cache folder itself (full disk, no permission) never fail a command: the cache is skipped.
 *
 * Layout: `<dir>/<sha256(location)[0:16]>/<snapshots|index>/<id>`; written through a temporary file and a rename.
 * A complete listing of snapshots or index files drops the cached ones the repository no longer has.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../crypto.js';
import type { Backend, ByteStream, FileHandle, FileInfo, FileType } from './backend.js';

/** What the cache did since it was opened (for tests and `-v` notes). */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries found damaged (hash not their name) and dropped. */
  damaged: number;
}

const CACHED: Partial<Record<FileType, string>> = { snapshot: 'snapshots', index: 'index' };

/** The default cache folder: $XDG_CACHE_HOME/steward, else ~/.cache/steward (as restic's ~/.cache/restic). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'steward');
}

/** `backend` with its snapshot and index files kept in the cache folder `dir`. */
export function cachedBackend(backend: Backend, dir: string, stats?: CacheStats): Backend {
  const root = join(dir, createHash('sha256').update(backend.location).digest('hex').slice(0, 16));
  const pathOf = (h: FileHandle): string | null => {
    const sub = CACHED[h.type];
    return sub && /^[0-9a-f]{64}$/.test(h.name) ? join(root, sub, h.name) : null;
  };
  const count = (k: keyof CacheStats): void => {
    if (stats) stats[k]++;
  };

  /** The cached copy when it is intact; a damaged one is removed. */
  async function read(path: string, h: FileHandle): Promise<Buffer | null> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      return null;
    }
    if (sha256Hex(data) === h.name) return data;
    count('damaged');
    await rm(path, { force: true }).catch(() => undefined);
    return null;
  }

  /** Keeps a copy of an intact file; any problem only means it is not cached. */
  async function keep(path: string, h: FileHandle, data: Uint8Array): Promise<void> {
    if (sha256Hex(data) !== h.name) return;
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      await writeFile(tmp, data, { mode: 0o600 });
      await rename(tmp, path);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Lists as the backend does; a listing read to its end drops cached files the repository no longer has. */
  async function* listAndPrune(type: Exclude<FileType, 'config'>): AsyncGenerator<FileInfo> {
    const seen = new Set<string>();
    for await (const f of backend.list(type)) {
      seen.add(f.name);
      yield f;
    }
    const sub = CACHED[type];
    if (!sub) return;
    const folder = join(root, sub);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const n of names)
      if (!seen.has(n)) await rm(join(folder, n), { force: true }).catch(() => undefined);
  }

  const cached: Backend = {
    location: backend.location,
    create: () => backend.create(),
    async save(h: FileHandle, data: Uint8Array): Promise<void> {
      await backend.save(h, data);
      const path = pathOf(h);
      if (path) await keep(path, h, data);
    },
    saveStream: (h: FileHandle, data: ByteStream, length: number) => backend.saveStream(h, data, length),
    async load(h: FileHandle, offset?: number, length?: number): Promise<Buffer> {
      const path = pathOf(h);
      if (!path) return backend.load(h, offset, length);
      const hit = await read(path, h);
      if (hit) {
        count('hits');
        const from = offset ?? 0;
        return hit.subarray(from, length === undefined ? undefined : from + length);
      }
      count('misses');
      if (offset !== undefined || length !== undefined) return backend.load(h, offset, length);
      const data = await backend.load(h);
      await keep(path, h, data);
      return data;
    },
    stat: (h: FileHandle) => backend.stat(h),
    async remove(h: FileHandle): Promise<void> {
      await backend.remove(h);
      const path = pathOf(h);
      if (path) await rm(path, { force: true }).catch(() => undefined);
    },
    list: (type: Exclude<FileType, 'config'>) => listAndPrune(type),
    exists: (h: FileHandle) => backend.exists(h),
    close: () => backend.close(),
  };
  if (backend.removeStaleTemp) cached.removeStaleTemp = () => backend.removeStaleTemp!();
  return cached;
}
