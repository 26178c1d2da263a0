import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** How many leading bytes content sniffing reads (sniff.ts looks at 8 KiB; one more says the file goes on). */
const HEAD_BYTES = 8 * 1024 + 1;

/** Chunks the bytes are read back in (and stored in, see attachments.repository). */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * One file to attach, however it arrived: its size, hash and first bytes are known up front, and its bytes
 * are read once, in chunks, while they are stored. `discard` frees what holds it (a spooled file).
 */
export interface Upload {
  fileName: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the content type. */
  head: Buffer;
  chunks(): AsyncIterable<Buffer>;
  discard(): Promise<void>;
}

/** A buffer in {@link CHUNK_BYTES} pieces (views, not copies). */
function chunksOf(data: Buffer): AsyncIterable<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += CHUNK_BYTES) pieces.push(data.subarray(at, at + CHUNK_BYTES));
  return Readable.from(pieces);
}

/** An upload of bytes already in memory (attachments of an inbound e-mail). */
export function bufferUpload(fileName: string, data: Buffer): Upload {
  return {
    fileName,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    head: data.subarray(0, HEAD_BYTES),
    chunks: () => chunksOf(data),
    discard: () => Promise.resolve(),
  };
}

/**
 * Streams an arriving file to a new temporary file under `dir` while hashing and measuring it, so that no
 * upload is ever held in memory whole. When the stream fails (too large, the client went away) the file is
 * removed and the error rethrown: a failed upload leaves nothing behind.
 */
export async function spoolUpload(fileName: string, source: Readable, dir: string): Promise<Upload> {
  const path = join(dir, `steward-upload-${randomBytes(12).toString('hex')}`);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let size = 0;
  const discard = () => rm(path, { force: true });
  const out = await open(path, 'wx', 0o600);
  try {
    // Reading with for-await (not pipeline) sees a multipart part that ends early as an error, as it must.
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (size < HEAD_BYTES) head.push(chunk.subarray(0, HEAD_BYTES - size));
      size += chunk.length;
      hash.update(chunk);
      await out.write(chunk);
    }
    // @fastify/multipart ends a file cut at its size limit without an error, and marks it truncated.
    if ((source as Readable & { truncated?: boolean }).truncated) {
      throw Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
    }
    await out.close();
  } catch (e) {
    await out.close().catch(() => undefined);
    await discard();
    throw e;
  }
  return {
    fileName,
    size,
    sha256: hash.digest('hex'),
    head: Buffer.concat(head),
    async *chunks() {
      yield* createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
    },
    discard,
  };
}
