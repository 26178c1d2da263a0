/**
 * The storage contract every repository location fulfils (local directory, SFTP, REST, S3).
 * Names follow restic's default layout: `config`, `keys/<id>`, `locks/<id>`, `snapshots/<id>`,
 * `index/<id>`, `data/<id[0:2]>/<id>`. A backend maps a {@link FileHandle} to its own path rules;
 * callers never build paths themselves.
 */

/** Kinds of file in a restic repository. */
export type FileType = 'config' | 'key' | 'lock' | 'snapshot' | 'index' | 'pack';

/** One stored file: its kind and, except for `config`, its 64-hex-character id. */
export interface FileHandle {
  type: FileType;
  /** Lowercase hex SHA-256 (for `config` the empty string). */
  name: string;
}

/** Bytes that arrive in pieces (an HTTP upload, a file read as a stream). */
export type ByteStream = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** What {@link Backend.list} yields for each stored file. */
export interface FileInfo {
  name: string;
  size: number;
}

/** Raised by every backend when a file does not exist, so callers can tell "missing" from "broken". */
export class BackendNotFoundError extends Error {
  override readonly name = 'BackendNotFoundError';
  constructor(readonly handle: FileHandle) {
    super(`${handle.type}${handle.name ? ` ${handle.name}` : ''} does not exist in the repository`);
  }
}

/**
 * Storage of immutable files. Implementations must:
 * - make `save` atomic (a reader never sees a partial file; a crash leaves no partial file under the final name)
 *   and durable before it resolves (fsync or the remote's equivalent);
 * - refuse to overwrite an existing file with different content (`config`, keys) and treat an identical re-save as success;
 * - throw {@link BackendNotFoundError} for a missing file from `load`, `stat` and `remove`.
 */
export interface Backend {
  /** Human-readable location, without credentials, for messages. */
  readonly location: string;
  /** Creates the folder structure of a new repository. Fails if a `config` already exists. */
  create(): Promise<void>;
  /** Stores `data` under `h`, atomically and durably. */
  save(h: FileHandle, data: Uint8Array): Promise<void>;
  /**
   * Stores `data`, exactly `length` bytes, under `h` as they arrive, holding only a few pieces in memory; atomic,
   * durable and never overwriting, like {@link save}. When `data` fails (throws, or yields more or fewer than
   * `length` bytes) nothing is stored under `h` and its error is thrown as it is (not wrapped): a caller can
   * refuse an upload by failing its stream, e.g. on a checksum mismatch found before the last piece is yielded.
   */
  saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void>;
  /** Reads `length` bytes at `offset` (whole file when both are omitted; to the end when only length is omitted). */
  load(h: FileHandle, offset?: number, length?: number): Promise<Buffer>;
  /** Size of a stored file. */
  stat(h: FileHandle): Promise<FileInfo>;
  /** Deletes a stored file. */
  remove(h: FileHandle): Promise<void>;
  /** Every stored file of one kind (order unspecified). */
  list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo>;
  /** True when the file exists. */
  exists(h: FileHandle): Promise<boolean>;
  /** Releases connections. */
  close(): Promise<void>;
  /**
   * Removes temporary files that writers which died mid-write left behind (never those of a live writer);
   * returns how many. Only backends that write through temporary files have it.
   */
  removeStaleTemp?(): Promise<number>;
}

/** The relative path of a file in restic's default layout, with `/` separators. */
export function defaultLayoutPath(h: FileHandle): string {
  switch (h.type) {
    case 'config':
      return 'config';
    case 'key':
      return `keys/${h.name}`;
    case 'lock':
      return `locks/${h.name}`;
    case 'snapshot':
      return `snapshots/${h.name}`;
    case 'index':
      return `index/${h.name}`;
    case 'pack':
      return `data/${h.name.slice(0, 2)}/${h.name}`;
  }
}

/** The folder of each listable kind in restic's default layout. */
export const DIR_OF: Record<Exclude<FileType, 'config'>, string> = {
  key: 'keys',
  lock: 'locks',
  snapshot: 'snapshots',
  index: 'index',
  pack: 'data',
};

/** `exists` in terms of `stat`, for backends that have no cheaper way to ask. */
export async function existsByStat(b: Pick<Backend, 'stat'>, h: FileHandle): Promise<boolean> {
  try {
    await b.stat(h);
    return true;
  } catch (err) {
    if (err instanceof BackendNotFoundError) return false;
    throw err;
  }
}
