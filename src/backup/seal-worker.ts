/**
 * Worker entry of {@link SealPool}: compresses (when sent a level) and encrypts the buffers it is sent with the
 * master key it was started with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sealBlob } from './seal-pool.js';

const k = workerData as { encrypt: Uint8Array; macK: Uint8Array; macR: Uint8Array };
const key = { encrypt: Buffer.from(k.encrypt), macK: Buffer.from(k.macK), macR: Buffer.from(k.macR) };

parentPort?.on('message', (m: { seq: number; data: Uint8Array; level?: number }) => {
  try {
    const out = sealBlob(key, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), m.level);
    // Transfer only a buffer that owns its memory: small Buffers live in a shared pool slab.
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
    parentPort?.postMessage({ seq: m.seq, out }, own ? [out.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort?.postMessage({ seq: m.seq, error: e instanceof Error ? e.message : String(e) });
  }
});
