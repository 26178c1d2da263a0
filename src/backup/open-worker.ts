/**
 * Worker entry of {@link OpenPool}: verifies, decrypts, decompresses and hash-checks the blobs it is sent, and
 * restores small files whole (restore-whole.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { keyFromBytes } from './crypto.js';
import type { OpenReply, OpenRequest } from './open-blob.js';
import { openBlob } from './open-blob.js';
import { writeWholeFiles } from './restore-whole.js';
import { asBuffer, errorReply, movable } from './worker-pool.js';

const key = keyFromBytes(workerData as Uint8Array);

parentPort?.on('message', (m: OpenRequest & { seq: number }) => {
  try {
    if (m.kind === 'whole') {
      parentPort?.postMessage({ seq: m.seq, whole: writeWholeFiles(key, m.job) } satisfies OpenReply);
      return;
    }
    const out = openBlob(key, m.id, m.ulen, asBuffer(m.data));
    parentPort?.postMessage({ seq: m.seq, out } satisfies OpenReply, movable(out));
  } catch (e) {
    parentPort?.postMessage(errorReply(m.seq, e));
  }
});
