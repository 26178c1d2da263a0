/**
 * Worker entry of {@link DirReader}: lists folders and runs the scan with the exclude settings it was started
 * with (see dir-read.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DirReply, DirRequest } from './dir-read.js';
import { Lister } from './dir-read.js';
import type { ExcludeOptions } from './excludes.js';
import { asBuffer, errorReply } from './worker-pool.js';

const lister = new Lister(workerData as ExcludeOptions);
const post = (m: DirReply, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(m, transfer);
/** Scan totals are sent at most this often. */
const PROGRESS_MS = 100;

parentPort?.on('message', (m: DirRequest & { seq: number }) => {
  try {
    if (m.kind === 'list') {
      const listing = lister.list(asBuffer(m.path));
      const moved = [listing.names?.buffer, listing.ends?.buffer, listing.stats].filter(
        (b): b is ArrayBuffer => b instanceof ArrayBuffer,
      );
      post({ seq: m.seq, listing }, moved);
      return;
    }
    let last = 0;
    lister
      .scan(
        m.paths,
        (files, bytes) => {
          const now = Date.now();
          if (now - last < PROGRESS_MS) return;
          last = now;
          post({ seq: m.seq, event: true, files, bytes });
        },
        undefined,
        m.maxSize,
      )
      .then(
        (t) => post({ seq: m.seq, ...t }),
        (e: unknown) => post(errorReply(m.seq, e)),
      );
  } catch (e) {
    post(errorReply(m.seq, e));
  }
});
