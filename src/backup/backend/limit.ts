/**
 * Bandwidth limits (restic's `--limit-upload` / `--limit-download`): a {@link Backend} wrapper that paces the
 * bytes saved and loaded through a token bucket per direction. Files are whole buffers here, so a save waits
 * until the bucket has paid for its bytes and then goes out; over time the bytes/s stay at or under the
 * limit (a pack may cross the wire faster than the limit, the next one then waits longer).
 *
 * The bucket keeps no credit while idle (an idle link's unused allowance is lost, never saved up for a
 * burst), so a limited transfer of N bytes takes at least N / limit seconds, and concurrent saves share one
 * limit: each waits for the bytes granted before its own.
 */
import type { Backend, ByteStream, FileHandle, FileInfo, FileType } from './backend.js';

/** Bytes per second per direction; absent or 0: unlimited (a negative, NaN or infinite rate is refused). */
export interface BandwidthLimits {
  uploadBytesPerSec?: number;
  downloadBytesPerSec?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A token bucket of `bytesPerSec`; {@link take} resolves once the bytes are paid for. */
export class TokenBucket {
  /** Allowance in bytes, never above 0: negative while callers wait for bytes already granted to them. */
  private tokens = 0;
  private last = performance.now();

  constructor(readonly bytesPerSec: number) {
    if (!(bytesPerSec > 0) || !Number.isFinite(bytesPerSec))
      throw new RangeError(`a bandwidth limit must be a positive number of bytes/s, not ${bytesPerSec}`);
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(0, this.tokens + ((now - this.last) / 1000) * this.bytesPerSec);
    this.last = now;
  }

  /** Waits until `n` bytes may pass. Callers queue in order: each waits for everyone's bytes before its own. */
  async take(n: number): Promise<void> {
    if (n <= 0) return;
    this.refill();
    this.tokens -= n;
    if (this.tokens < 0) await sleep(Math.ceil((-this.tokens / this.bytesPerSec) * 1000));
  }
}

const bucketOf = (rate: number | undefined) =>
  rate === undefined || rate === 0 ? null : new TokenBucket(rate);

/**
 * `backend` with its uploads (`save`) and downloads (`load`) limited to the given bytes/s. Returns `backend`
 * itself when neither limit is set.
 */
export function limitBackend(backend: Backend, limits: BandwidthLimits): Backend {
  const up = bucketOf(limits.uploadBytesPerSec);
  const down = bucketOf(limits.downloadBytesPerSec);
  if (!up && !down) return backend;
  const limited: Backend = {
    location: backend.location,
    create: () => backend.create(),
    async save(h: FileHandle, data: Uint8Array): Promise<void> {
      await up?.take(data.byteLength);
      return backend.save(h, data);
    },
    saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
      if (!up) return backend.saveStream(h, data, length);
      const bucket = up;
      // Each piece is paid for before it is passed on: the stream goes out at the limit.
      async function* paced(): AsyncIterable<Uint8Array> {
        for await (const piece of data) {
          await bucket.take(piece.byteLength);
          yield piece;
        }
      }
      return backend.saveStream(h, paced(), length);
    },
    async load(h: FileHandle, offset?: number, length?: number): Promise<Buffer> {
      const buf = await backend.load(h, offset, length);
      await down?.take(buf.length);
      return buf;
    },
    stat: (h: FileHandle): Promise<FileInfo> => backend.stat(h),
    remove: (h: FileHandle) => backend.remove(h),
    list: (type: Exclude<FileType, 'config'>) => backend.list(type),
    exists: (h: FileHandle) => backend.exists(h),
    close: () => backend.close(),
  };
  if (backend.removeStaleTemp) limited.removeStaleTemp = () => backend.removeStaleTemp!();
  return limited;
}
