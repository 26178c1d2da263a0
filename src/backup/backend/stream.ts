/**
 * Helpers for {@link Backend.saveStream}: bytes that arrive in pieces (an HTTP upload) are written as they come,
 * checked to be exactly as long as announced, and an error of the source itself reaches the caller unchanged
 * (so an endpoint can tell "the upload was bad" from "the storage failed").
 */
import { createHash } from 'node:crypto';
import type { Backend, ByteStream, FileHandle } from './backend.js';

/** A source being consumed: its pieces as Buffers, and whether (and how) it failed. */
export interface WatchedSource {
  chunks: AsyncIterable<Buffer>;
  /** Set once the source threw (or had the wrong length): the error to give the caller as it is. */
  failure(): { error: unknown } | undefined;
}

/** Wraps `source`, failing it when it yields more or fewer than `length` bytes, and remembering its failure. */
export function watchSource(source: ByteStream, length: number): WatchedSource {
  let failed: { error: unknown } | undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    let n = 0;
    try {
      for await (const c of source) {
        n += c.byteLength;
        if (n > length) throw new Error(`the data is longer than the announced ${length} bytes`);
        yield Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      }
      if (n < length) throw new Error(`the data ended after ${n} of the announced ${length} bytes`);
    } catch (e) {
      failed = { error: e };
      throw e;
    }
  }
  return { chunks: chunks(), failure: () => failed };
}

/** `data` as a one-piece source. */
export const oneChunk = (data: Uint8Array): ByteStream => [data];

/** Pieces of exactly `size` bytes (the last one shorter), cut or joined from the pieces of `source`. */
export async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  for await (let c of source) {
    while (c.length > 0) {
      if (pendingLen === 0 && c.length >= size) {
        yield c.subarray(0, size);
        c = c.subarray(size);
        continue;
      }
      const take = Math.min(size - pendingLen, c.length);
      pending.push(c.subarray(0, take));
      pendingLen += take;
      c = c.subarray(take);
      if (pendingLen === size) {
        yield Buffer.concat(pending, pendingLen);
        pending = [];
        pendingLen = 0;
      }
    }
  }
  if (pendingLen > 0) yield Buffer.concat(pending, pendingLen);
}

/** The SHA-256 (hex) of everything `source` yields. */
export async function digestOf(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of source) hash.update(c);
  return hash.digest('hex');
}

/** A stored file read in ranges of `piece` bytes (memory stays bounded whatever its size). */
export async function* storedChunks(
  b: Pick<Backend, 'load'>,
  h: FileHandle,
  size: number,
  piece = 8 * 1024 * 1024,
): AsyncGenerator<Buffer> {
  for (let off = 0; off < size; off += piece) yield b.load(h, off, Math.min(piece, size - off));
}

/**
 * Whether a stored file is what a cut upload left: a server that writes uploads in place (rclone, s3rver) may keep
 * the part it received. A file shorter than announced under a content-addressed name cannot hold that content, so
 * a new upload replaces it.
 */
export async function isCutUpload(b: Pick<Backend, 'stat'>, h: FileHandle, length: number): Promise<boolean> {
  return h.type !== 'config' && (await b.stat(h)).size < length;
}

/**
 * For a streamed save onto a file that exists already: succeeds when the stream holds the same bytes (a retried
 * upload), throws when they differ. The stream is read to its end either way unless the sizes differ.
 */
export async function requireSameAsStored(
  b: Pick<Backend, 'load' | 'stat' | 'location'>,
  h: FileHandle,
  src: WatchedSource,
  length: number,
  path: string,
): Promise<void> {
  const differs = () => new Error(`${b.location}: ${path} already exists with different content`);
  const size = (await b.stat(h)).size;
  if (size !== length) throw differs();
  const [mine, theirs] = await Promise.all([digestOf(src.chunks), digestOf(storedChunks(b, h, size))]);
  if (mine !== theirs) throw differs();
}
