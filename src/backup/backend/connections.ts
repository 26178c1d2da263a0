/**
 * restic's `-o <backend>.connections=N`: a {@link Backend} wrapper that lets at most N operations (save, load,
 * stat, remove, exists, and each step of a listing) reach the storage at once; the rest wait their turn. A
 * listing holds its slot only while it fetches its next entry, never while the caller handles one, so a caller
 * that loads while it lists does not wait on itself with N = 1.
 */
import { Semaphore } from '../semaphore.js';
import type { Backend, ByteStream, FileHandle, FileType } from './backend.js';

async function* listStepwise<T>(listing: AsyncIterable<T>, slots: Semaphore): AsyncGenerator<T> {
  const it = listing[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await slots.run(() => it.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

/** `backend` with at most `connections` operations in flight (a whole number of at least 1). */
export function connectionLimitedBackend(backend: Backend, connections: number): Backend {
  if (!Number.isInteger(connections) || connections < 1)
    throw new RangeError(`connections must be a positive whole number, not ${connections}`);
  const slots = new Semaphore(connections);
  const limited: Backend = {
    location: backend.location,
    create: () => backend.create(),
    save: (h: FileHandle, data: Uint8Array) => slots.run(() => backend.save(h, data)),
    saveStream: (h: FileHandle, data: ByteStream, length: number) =>
      slots.run(() => backend.saveStream(h, data, length)),
    load: (h: FileHandle, offset?: number, length?: number) =>
      slots.run(() => backend.load(h, offset, length)),
    stat: (h: FileHandle) => slots.run(() => backend.stat(h)),
    remove: (h: FileHandle) => slots.run(() => backend.remove(h)),
    list: (type: Exclude<FileType, 'config'>) => listStepwise(backend.list(type), slots),
    exists: (h: FileHandle) => slots.run(() => backend.exists(h)),
    close: () => backend.close(),
  };
  if (backend.removeStaleTemp) limited.removeStaleTemp = () => backend.removeStaleTemp!();
  return limited;
}
