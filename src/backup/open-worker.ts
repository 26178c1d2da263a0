/**
 * Worker entry of {@link OpenPool}: verifies, decrypts, decompresses and hash-checks the blobs it is sent, and
 * restores small files whole (restore-whole.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBlob } from './open-blob.js';
import { writeWholeFiles, type WholeJob } from './restore-whole.js';

const k = workerData as { encrypt: Uint8Array; macK: Uint8Array; macR: Uint8Array };
const key = { encrypt: Buffer.from(k.encrypt), macK: Buffer.from(k.macK), macR: Buffer.from(k.macR) };

type Message =
  | { seq: number; kind?: undefined; id: string; ulen?: number; data: Uint8Array }
  | { seq: number; kind: 'whole'; job: WholeJob };

parentPort?.on('message', (m: Message) => {
  try {
    if (m.kind === 'whole') {
      parentPort?.postMessage({ seq: m.seq, whole: writeWholeFiles(key, m.job) });
      return;
    }
    const out = openBlob(key, m.id, m.ulen, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    // Transfer only a buffer that owns its memory: small Buffers live in a shared pool slab.
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
    parentPort?.postMessage({ seq: m.seq, out }, own ? [out.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort?.postMessage({
      seq: m.seq,
      error: e instanceof Error ? e.message : String(e),
      kind: e instanceof Error ? e.name : 'Error',
    });
  }
});
