/**
 * zstd for repository v2. Library choice, measured on this 2-core machine with 4 MiB blobs (ESM, Node 20):
 * `@toondepauw/node-zstd` (native, napi-rs, prebuilt npm platform packages, no install script):
 * compress ~150 MiB/s on text and ~700 MiB/s on random data, decompress ~330/530 MiB/s;
 * `@bokuweb/zstd-wasm`: 60/240 MiB/s compress, 165/1000 MiB/s decompress; `zstd-napi` needs an install script
 * (node-gyp) that npm 11 blocks unless approved. So node-zstd: fastest, and it installs offline from the registry.
 * Its frames carry no checksum (like restic's) and one call makes one frame, as restic writes one frame per blob.
 */
import { Decoder, Encoder } from '@toondepauw/node-zstd';
import { FormatError } from './errors.js';

// Level 3 is zstd's default and what klauspost's "default" speed approximates.
const encoder = new Encoder(3);
const decoder = new Decoder();

/** Compresses `data` into one zstd frame (level 3, no checksum). */
export function zstdCompress(data: Uint8Array): Buffer {
  return encoder.encodeSync(
    Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length),
  );
}

/** Same as {@link zstdCompress}, on libuv's thread pool so several blobs compress in parallel. */
export function zstdCompressAsync(data: Uint8Array): Promise<Buffer> {
  return encoder.encode(
    Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length),
  );
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
  let out: Buffer;
  try {
    out = decoder.decodeSync(
      Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length),
    );
  } catch (e) {
    throw new FormatError(`zstd: cannot decompress: ${e instanceof Error ? e.message : String(e)}`);
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
