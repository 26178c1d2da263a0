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
  return encoder.encodeSync(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
}

/** Same as {@link zstdCompress}, on libuv's thread pool so several blobs compress in parallel. */
export function zstdCompressAsync(data: Uint8Array): Promise<Buffer> {
  return encoder.encode(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
}

/**
 * Decompresses one or more zstd frames. `expectedLength`, when known (index `uncompressed_length`), is checked,
 * so a hostile frame cannot pass off a different size.
 */
export function zstdDecompress(data: Uint8Array, expectedLength?: number): Buffer {
  let out: Buffer;
  try {
    out = decoder.decodeSync(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
  } catch (e) {
    throw new FormatError(`zstd: cannot decompress: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new FormatError(`zstd: decompressed ${out.length} bytes, index says ${expectedLength}`);
  }
  return out;
}
