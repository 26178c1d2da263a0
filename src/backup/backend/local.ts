/**
 * Repository in a local folder, restic's default layout. Files are written once: temp file in the target folder,
 * fsync, chmod 0400 (as restic does), hard-link to the final name (atomic and never overwriting), fsync the folder.
 * A temp file's name says which host and process writes it, so the temp files of a killed writer can be told
 * from those of a live one and removed ({@link LocalBackend.removeStaleTemp}).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  BackendNotFoundError,
  DIR_OF,
  defaultLayoutPath,
  type Backend,
  type ByteStream,
  type FileHandle,
  type FileInfo,
  type FileType,
} from './backend.js';
import { digestOf, oneChunk, watchSource } from './stream.js';
import { closeFd, fstatBig, openFd, readFd } from '../fsx.js';
import { errorMessage } from '../errors.js';
import { hostname } from 'node:os';
import { processAlive } from '../lock.js';

const TMP_PREFIX = '.steward-tmp-';
/** This machine in temp file names: 8 hex digits of its hostname's hash (names stay short and safe). */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
/** `.steward-tmp-<host tag>-<pid>-<random>`. */
const TMP_NAME = /^\.steward-tmp-([0-9a-f]{8})-(\d+)-[0-9a-f]+$/;
/** A temp file this old belongs to no live write, whoever wrote it (another host, an older naming). */
const TMP_MAX_AGE_MS = 60 * 60_000;

function code(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
}

/** Local-folder {@link Backend}. */
export class LocalBackend implements Backend {
  /** @inheritDoc */
  readonly location: string;

  /** `root` is the repository folder (it need not exist before {@link create}). */
  constructor(readonly root: string) {
    this.location = root;
  }

  private path(h: FileHandle): string {
    if (h.type !== 'config' && !/^[0-9a-zA-Z._-]+$/.test(h.name))
      throw new Error(`invalid file name ${JSON.stringify(h.name)}`);
    return join(this.root, defaultLayoutPath(h));
  }

  private wrap(e: unknown, h: FileHandle, op: string): Error {
    const c = code(e);
    if (c === 'ENOENT') return new BackendNotFoundError(h);
    const what = `${op} ${defaultLayoutPath(h)} in ${this.root}`;
    if (c === 'EACCES' || c === 'EPERM') return new Error(`permission denied: cannot ${what}`, { cause: e });
    if (c === 'ENOSPC') return new Error(`no space left on device: cannot ${what}`, { cause: e });
    if (c === 'EDQUOT') return new Error(`disk quota exceeded: cannot ${what}`, { cause: e });
    if (c === 'EROFS') return new Error(`read-only file system: cannot ${what}`, { cause: e });
    return new Error(`cannot ${what}: ${errorMessage(e)}`, { cause: e });
  }

  /** @inheritDoc */
  async create(): Promise<void> {
    if (await this.exists({ type: 'config', name: '' }))
      throw new Error(`repository at ${this.root} already exists (config present)`);
    try {
      await fs.mkdir(this.root, { recursive: true, mode: 0o700 });
      for (const d of Object.values(DIR_OF))
        await fs.mkdir(join(this.root, d), { recursive: true, mode: 0o700 });
      // restic creates all 256 pack subfolders up front; other tools expect them.
      for (let i = 0; i < 256; i++)
        await fs.mkdir(join(this.root, 'data', i.toString(16).padStart(2, '0')), {
          recursive: true,
          mode: 0o700,
        });
    } catch (e) {
      throw this.wrap(e, { type: 'config', name: '' }, 'create folders for');
    }
  }

  /** @inheritDoc */
  async save(h: FileHandle, data: Uint8Array): Promise<void> {
    return this.saveStream(h, oneChunk(data), data.byteLength);
  }

  /** Opens a new temp file in `dir` (creating a missing pack subfolder, as another tool may not have). */
  private async openTemp(dir: string): Promise<{ tmp: string; fh: fs.FileHandle }> {
    const tmp = join(dir, `${TMP_PREFIX}${HOST_TAG}-${process.pid}-${randomBytes(8).toString('hex')}`);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    try {
      return { tmp, fh: await fs.open(tmp, flags, 0o600) };
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      return { tmp, fh: await fs.open(tmp, flags, 0o600) };
    }
  }

  /** @inheritDoc */
  async saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
    const final = this.path(h);
    const dir = dirname(final);
    const src = watchSource(data, length);
    let tmp: string | undefined;
    try {
      const t = await this.openTemp(dir);
      tmp = t.tmp;
      try {
        // Gathered into writes of about 1 MiB (writev: no copy), so memory is bounded whatever the size.
        let batch: Buffer[] = [];
        let batched = 0;
        for await (const c of src.chunks) {
          batch.push(c);
          if ((batched += c.length) < 1024 * 1024) continue;
          await writeAllOf(t.fh, batch);
          batch = [];
          batched = 0;
        }
        await writeAllOf(t.fh, batch);
        await t.fh.sync();
      } finally {
        await t.fh.close();
      }
      await fs.chmod(tmp, 0o400);
      try {
        // link() never replaces an existing file, unlike rename(): two writers of the same name cannot clobber.
        await fs.link(tmp, final);
      } catch (e) {
        if (code(e) !== 'EEXIST') throw e;
        const [mine, theirs] = await Promise.all([digestOf(fileChunks(tmp)), digestOf(fileChunks(final))]);
        if (mine !== theirs) throw new Error(`${defaultLayoutPath(h)} already exists with different content`);
      }
      await fs.unlink(tmp);
      await fsyncDir(dir);
    } catch (e) {
      if (tmp) await fs.unlink(tmp).catch(() => undefined);
      const failed = src.failure();
      if (failed) throw failed.error;
      if (e instanceof Error && /already exists with different content/.test(e.message)) throw e;
      throw this.wrap(e, h, 'save');
    }
  }

  /** @inheritDoc */
  async load(h: FileHandle, offset?: number, length?: number): Promise<Buffer> {
    const p = this.path(h);
    try {
      if (offset === undefined && length === undefined) return await fs.readFile(p);
      // Ranged reads (a blob, a pack header) are many: node:fs callbacks, not a FileHandle each (fsx.ts).
      const fd = await openFd(p, 'r');
      try {
        const start = offset ?? 0;
        const len = length ?? Number((await fstatBig(fd)).size) - start;
        if (len < 0) throw new Error(`offset ${start} beyond end of file`);
        const buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const bytesRead = await readFd(fd, buf, got, len - got, start + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        if (got < len) throw new Error(`short read: wanted ${len} bytes at ${start}, file ends after ${got}`);
        return buf;
      } finally {
        await closeFd(fd);
      }
    } catch (e) {
      throw this.wrap(e, h, 'load');
    }
  }

  /** @inheritDoc */
  async stat(h: FileHandle): Promise<FileInfo> {
    try {
      const st = await fs.stat(this.path(h));
      return { name: h.name, size: st.size };
    } catch (e) {
      throw this.wrap(e, h, 'stat');
    }
  }

  /** @inheritDoc */
  async remove(h: FileHandle): Promise<void> {
    const p = this.path(h);
    try {
      await fs.unlink(p);
      await fsyncDir(dirname(p));
    } catch (e) {
      throw this.wrap(e, h, 'remove');
    }
  }

  /** @inheritDoc */
  async *list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo> {
    const base = join(this.root, DIR_OF[type]);
    const dirs =
      type === 'pack'
        ? (await readdirOrEmpty(base)).filter((d) => /^[0-9a-f]{2}$/.test(d)).map((d) => join(base, d))
        : [base];
    for (const d of dirs) {
      for (const name of await readdirOrEmpty(d)) {
        if (name.startsWith(TMP_PREFIX)) continue;
        try {
          const st = await fs.stat(join(d, name));
          if (st.isFile()) yield { name, size: st.size };
        } catch (e) {
          if (code(e) !== 'ENOENT') throw e; // removed while listing
        }
      }
    }
  }

  /** @inheritDoc */
  async exists(h: FileHandle): Promise<boolean> {
    try {
      await fs.access(this.path(h));
      return true;
    } catch (e) {
      if (code(e) === 'ENOENT') return false;
      throw this.wrap(e, h, 'access');
    }
  }

  /**
   * Removes the temp files of writers that died mid-write: written by a process of this machine that no
   * longer runs, or older than an hour (no live write takes that long). Best effort: a file that cannot be
   * removed stays. Returns how many were removed.
   */
  async removeStaleTemp(): Promise<number> {
    const now = Date.now();
    const dirs = Object.values(DIR_OF).map((d) => join(this.root, d));
    const data = join(this.root, DIR_OF.pack);
    for (const d of await readdirOrEmpty(data)) if (/^[0-9a-f]{2}$/.test(d)) dirs.push(join(data, d));
    dirs.push(this.root); // `config` is written through a temp file too
    let removed = 0;
    for (const d of dirs) {
      for (const name of await readdirOrEmpty(d)) {
        if (!name.startsWith(TMP_PREFIX)) continue;
        const p = join(d, name);
        const m = TMP_NAME.exec(name);
        const dead =
          m !== null && m[1] === HOST_TAG && Number(m[2]) !== process.pid && !processAlive(Number(m[2]));
        try {
          if (!dead && now - (await fs.stat(p)).mtimeMs < TMP_MAX_AGE_MS) continue;
          await fs.unlink(p);
          removed++;
        } catch {
          // Gone already, or not ours to remove (permissions): it does no harm where it is.
        }
      }
    }
    return removed;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    // Nothing to release: every operation opens and closes its own file.
  }
}

/** Writes every byte of `bufs` at the file's position (writev may write less than asked). */
async function writeAllOf(fh: fs.FileHandle, bufs: Buffer[]): Promise<void> {
  const left = bufs.filter((b) => b.length > 0);
  while (left.length > 0) {
    let { bytesWritten } = await fh.writev(left);
    while (left.length > 0 && bytesWritten >= left[0]!.length) bytesWritten -= left.shift()!.length;
    if (bytesWritten > 0) left[0] = left[0]!.subarray(bytesWritten);
  }
}

/** A file's bytes as a stream. */
const fileChunks = (p: string): AsyncIterable<Buffer> => createReadStream(p, { highWaterMark: 1024 * 1024 });

async function readdirOrEmpty(d: string): Promise<string[]> {
  try {
    return await fs.readdir(d);
  } catch (e) {
    if (code(e) === 'ENOENT') return [];
    throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the new directory entry durable; some file systems refuse fsync on a folder, which is harmless.
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    /* best effort */
  } finally {
    await fh?.close();
  }
}
