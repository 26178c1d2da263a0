/**
 * Worker entry of {@link SealPool}: compresses (when sent a level) and encrypts the buffers it is sent with the
 * master key it was started with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { keyFromBytes } from './crypto.js';
import type { SealReply, SealRequest } from './seal-pool.js';
import { sealBlob } from './seal-pool.js';
import { asBuffer, errorReply, movable } from './worker-pool.js';

const key = keyFromBytes(workerData as Uint8Array);

parentPort?.on('message', (m: SealRequest & { seq: number }) => {
  try {
    const out = sealBlob(key, asBuffer(m.data), m.level);
    parentPort?.postMessage({ seq: m.seq, out } satisfies SealReply, movable(out));
  } catch (e) {
    parentPort?.postMessage(errorReply(m.seq, e));
  }
});
