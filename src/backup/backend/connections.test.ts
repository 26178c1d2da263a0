import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../crypto.js';
import { removeTempDirs, tempDir } from '../testkit.js';
import type { Backend } from './backend.js';
import { backendConformance } from './conformance.js';
import { connectionLimitedBackend } from './connections.js';
import { LocalBackend } from './local.js';

afterAll(removeTempDirs);

const fresh = () => new LocalBackend(join(tempDir('steward-conn-'), 'repo'));

// A limited backend is still a backend: the whole contract holds through the wrapper.
backendConformance('connection-limited local', () => connectionLimitedBackend(fresh(), 1));

/** `inner` with a count of the operations in flight and the most seen at once. */
function observed(inner: Backend): { backend: Backend; peak: () => number } {
  let now = 0;
  let peak = 0;
  const track =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      peak = Math.max(peak, ++now);
      try {
        return await fn(...a);
      } finally {
        now--;
      }
    };
  const backend: Backend = {
    ...inner,
    location: inner.location,
    create: () => inner.create(),
    save: track((h, d: Uint8Array) => inner.save(h, d)),
    saveStream: track((h, d, n: number) => inner.saveStream(h, d, n)),
    load: track((h, o?: number, l?: number) => inner.load(h, o, l)),
    stat: track((h) => inner.stat(h)),
    remove: track((h) => inner.remove(h)),
    exists: track((h) => inner.exists(h)),
    list: (t) => inner.list(t),
    close: () => inner.close(),
  };
  return { backend, peak: () => peak };
}

describe('connectionLimitedBackend', () => {
  it('lets at most N operations reach the storage at once', async () => {
    const inner = fresh();
    await inner.create();
    const seen = observed(inner);
    const b = connectionLimitedBackend(seen.backend, 2);
    const files = Array.from({ length: 12 }, () => randomBytes(64 * 1024));
    await Promise.all(files.map((d) => b.save({ type: 'pack', name: sha256Hex(d) }, d)));
    const back = await Promise.all(files.map((d) => b.load({ type: 'pack', name: sha256Hex(d) })));
    expect(back.map((x) => sha256Hex(x))).toEqual(files.map((d) => sha256Hex(d)));
    expect(seen.peak()).toBe(2);
  });

  it('refuses zero, negative and fractional limits', () => {
    for (const n of [0, -1, 1.5, Number.NaN])
      expect(() => connectionLimitedBackend(fresh(), n)).toThrow(/positive whole number/);
  });
});
