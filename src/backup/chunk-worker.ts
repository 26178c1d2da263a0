/**
 * Worker entry of {@link ChunkPool}: reads a file, splits it with the repository's chunker and
 * hashes each chunk, so the CPU-heavy part of reading runs beside the thread that compresses,
 * encrypts and packs. Chunks go back with their memory transferred (no copy); at most
 * `window` unacknowledged chunks per file keep memory bounded.
 */
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Chunker } from './chunker.js';
import { errorMessage } from './errors.js';

const READ_SIZE = 1024 * 1024;

interface Job {
  seq: number;
  path: Uint8Array;
  pol: string;
  window: number;
}

const credits = new Map<number, { free: number; wake: (() => void) | null }>();

async function run(job: Job): Promise<void> {
  const port = parentPort!;
  const state = { free: job.window, wake: null as (() => void) | null };
  credits.set(job.seq, state);
  const send = async (chunk: Buffer): Promise<void> => {
    while (state.free === 0) await new Promise<void>((r) => (state.wake = r));
    state.free--;
    // Each chunk gets memory of its own so it can be transferred.
    const own =
      chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : Buffer.from(chunk);
    const id = createHash('sha256').update(own).digest('hex');
    port.postMessage({ seq: job.seq, kind: 'chunk', id, data: own }, [own.buffer as ArrayBuffer]);
  };
  const fh = await open(Buffer.from(job.path), 'r');
  try {
    const st = await fh.stat({ bigint: true });
    const chunker = new Chunker(job.pol);
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafeSlow(READ_SIZE);
      const { bytesRead } = await fh.read(buf, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      port.postMessage({ seq: job.seq, kind: 'progress', bytes: bytesRead });
      for (const c of chunker.push(buf.subarray(0, bytesRead))) await send(c);
    }
    const last = chunker.finish();
    if (last) await send(last);
    const after = await fh.stat({ bigint: true });
    port.postMessage({
      seq: job.seq,
      kind: 'end',
      total,
      size: String(st.size),
      sizeAfter: String(after.size),
      mtimeNs: String(st.mtimeNs),
      mtimeAfterNs: String(after.mtimeNs),
    });
  } finally {
    await fh.close();
    credits.delete(job.seq);
  }
}

parentPort?.on('message', (m: Job | { ack: number }) => {
  if ('ack' in m) {
    const s = credits.get(m.ack);
    if (s) {
      s.free++;
      const w = s.wake;
      s.wake = null;
      w?.();
    }
    return;
  }
  run(m).catch((e: unknown) => {
    parentPort?.postMessage({
      seq: m.seq,
      kind: 'error',
      message: errorMessage(e),
    });
  });
});
