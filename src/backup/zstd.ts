/**
 * zstd for repository v2, through one of two native bindings (both one frame per call, no checksum, as restic
 * writes one frame per blob):
 * - `zstd-napi` (optional dependency, built from its bundled zstd by node-gyp at install: `allowScripts` in
 *   package.json): the plain zstd calls on one reused context per thread, into a buffer of the known size.
 *   Measured here on 48 KiB blobs: decompress ~1,000 MB/s, compress ~285 MB/s, level 3.
 * - `@toondepauw/node-zstd` (prebuilt, always installed): a streaming codec with a new context per call and an
 *   output that grows as it goes: ~200-260 MB/s decompress, ~175 MB/s compress on the same blobs. Used where
 *   zstd-napi did not install (no compiler) and for frames of unknown size.
 * Blobs are compressed on the seal workers (seal-pool.ts), one call each, so no async variant is needed.
 * {@link zstdImplementation} tells which one a process uses.
 */
import { createRequire } from 'node:module';
import { Decoder, Encoder } from '@toondepauw/node-zstd';
import { errorMessage, FormatError } from './errors.js';

const decoder = new Decoder();

/** The part of zstd-napi's low-level binding used here (typed locally: the package is optional). */
interface ZstdNapi {
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
  compressBound(size: number): number;
}

interface Native {
  cctx: InstanceType<ZstdNapi['CCtx']>;
  dctx: InstanceType<ZstdNapi['DCtx']>;
  bound: (size: number) => number;
}

let native: Native | null | undefined;

/** zstd-napi with this thread's contexts, or null where it is not installed (or `STEWARD_ZSTD=node-zstd`). */
function nativeZstd(): Native | null {
  if (native === undefined) {
    native = null;
    if (process.env.STEWARD_ZSTD !== 'node-zstd') {
      try {
        const b = createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdNapi;
        native = { cctx: new b.CCtx(), dctx: new b.DCtx(), bound: (n) => b.compressBound(n) };
      } catch {
        native = null;
      }
    }
  }
  return native;
}

/** Largest plaintext decompressed into a buffer allocated up front (a chunk is at most 8 MiB; trees are smaller). */
const NATIVE_MAX = 64 * 1024 * 1024;

/** Which binding this process compresses and decompresses blobs with. */
export function zstdImplementation(): 'zstd-napi' | 'node-zstd' {
  return nativeZstd() ? 'zstd-napi' : 'node-zstd';
}

const asBuffer = (d: Uint8Array): Buffer =>
  Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.length);

/** zstd's default level, and what klauspost's "default" speed (restic's `auto`) approximates. */
export const ZSTD_DEFAULT = 3;
/** restic's `--compression max` (klauspost's best) maps near zstd level 19. */
export const ZSTD_MAX = 19;
const encoders = new Map<number, Encoder>();

/** Compresses `data` into one zstd frame (no checksum), at `level` (default 3). */
export function zstdCompress(data: Uint8Array, level = ZSTD_DEFAULT): Buffer {
  const z = nativeZstd();
  if (!z) {
    let e = encoders.get(level);
    if (!e) encoders.set(level, (e = new Encoder(level)));
    return e.encodeSync(asBuffer(data));
  }
  const out = Buffer.allocUnsafe(z.bound(data.length));
  return out.subarray(0, z.cctx.compress(out, data, level));
}

/**
 * Decompresses one or more zstd frames. `expectedLength`, when known (index `uncompressed_length`), is checked,
 * so a hostile frame cannot pass off a different size.
 */
export function zstdDecompress(data: Uint8Array, expectedLength?: number): Buffer {
  const declared = frameContentSize(data);
  // Refuse before allocating: a hostile frame may declare gigabytes.
  if (declared !== undefined && declared > (expectedLength ?? MAX_UNPACKED)) {
    throw new FormatError(
      `zstd: frame declares ${declared} bytes, more than the ${expectedLength ?? MAX_UNPACKED} allowed`,
    );
  }
  // An index may claim any size: beyond what a blob can hold, the streaming decoder grows with what is really there.
  const z = expectedLength !== undefined && expectedLength <= NATIVE_MAX ? nativeZstd() : null;
  let out: Buffer;
  try {
    if (z && expectedLength !== undefined) {
      // Into a buffer of exactly the expected size: a frame that holds more fails ("destination buffer is too
      // small"), one that holds less is caught below.
      out = Buffer.allocUnsafe(expectedLength);
      out = out.subarray(0, z.dctx.decompress(out, data));
    } else out = decoder.decodeSync(asBuffer(data));
  } catch (e) {
    throw new FormatError(`zstd: cannot decompress: ${errorMessage(e)}`);
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new FormatError(`zstd: decompressed ${out.length} bytes, index says ${expectedLength}`);
  }
  return out;
}

/** Largest plaintext accepted when the size is not known in advance (unpacked files: index, snapshot, lock). */
export const MAX_UNPACKED = 1024 * 1024 * 1024;

/** The Frame_Content_Size of the first zstd frame (RFC 8878 3.1.1.1), or undefined when absent or unreadable. */
export function frameContentSize(d: Uint8Array): number | undefined {
  if (d.length < 6 || d[0] !== 0x28 || d[1] !== 0xb5 || d[2] !== 0x2f || d[3] !== 0xfd) return undefined;
  const fhd = d[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (single ? 0 : 1) + dictBytes;
  if (at + fcsBytes > d.length) return undefined;
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + d[at + i]!;
  return fcsBytes === 2 ? v + 256 : v;
}
