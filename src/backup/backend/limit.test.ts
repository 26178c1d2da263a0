import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testkit.js';
import { sha256Hex } from '../crypto.js';
import { backendConformance } from './conformance.js';
import { limitBackend } from './limit.js';
import { LocalBackend } from './local.js';

afterAll(removeTempDirs);

const fresh = () => new LocalBackend(join(tempDir('steward-limit-'), 'repo'));

// A limited backend is still a backend: the whole contract holds through the wrapper.
backendConformance('limited local', () =>
  limitBackend(fresh(), { uploadBytesPerSec: 64 * 1024 * 1024, downloadBytesPerSec: 64 * 1024 * 1024 }),
);

describe('limitBackend', () => {
  it('returns the backend itself when no limit is set', () => {
    const b = fresh();
    expect(limitBackend(b, {})).toBe(b);
    expect(limitBackend(b, { uploadBytesPerSec: 0, downloadBytesPerSec: undefined })).toBe(b);
  });

  it('refuses a negative or infinite limit', () => {
    expect(() => limitBackend(fresh(), { uploadBytesPerSec: Number.POSITIVE_INFINITY })).toThrow(/positive/);
    expect(() => limitBackend(fresh(), { downloadBytesPerSec: -5 })).toThrow(/positive/);
    expect(() => limitBackend(fresh(), { downloadBytesPerSec: Number.NaN })).toThrow(/positive/);
  });

  it('an upload of N bytes, in concurrent saves, takes at least N / limit; downloads are limited on their own', async () => {
    const inner = fresh();
    await inner.create();
    const limit = 256 * 1024;
    const b = limitBackend(inner, { uploadBytesPerSec: limit, downloadBytesPerSec: limit * 2 });
    const files = Array.from({ length: 4 }, () => randomBytes(96 * 1024));
    const t0 = performance.now();
    await Promise.all(files.map((d) => b.save({ type: 'pack', name: sha256Hex(d) }, d)));
    const upMs = performance.now() - t0;
    const n = files.length * 96 * 1024;
    // Only the lower bound: a busy machine may be slower, never faster than the limit allows.
    expect(upMs).toBeGreaterThanOrEqual((n / limit) * 1000 * 0.95);
    const t1 = performance.now();
    const back = await Promise.all(files.map((d) => b.load({ type: 'pack', name: sha256Hex(d) })));
    const downMs = performance.now() - t1;
    expect(back.map((x) => sha256Hex(x))).toEqual(files.map((d) => sha256Hex(d)));
    expect(downMs).toBeGreaterThanOrEqual((n / (limit * 2)) * 1000 * 0.95);
  });
});
