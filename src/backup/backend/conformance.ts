/**
 * Shared conformance tests for {@link Backend} implementations. Call {@link backendConformance} inside a
 * vitest test file; each test gets a fresh, empty repository location from the factory.
 * (Test-support code: imports vitest, so only test files may import this module.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackendNotFoundError, type Backend, type FileHandle, type FileInfo } from './backend.js';
import { oneChunk } from './stream.js';

/** Makes a backend on a fresh, empty (not yet created) repository location. */
export type BackendFactory = () => Promise<Backend> | Backend;

/** Options of {@link backendConformance}. */
export interface ConformanceOptions {
  /** Skip the whole suite (e.g. the server is missing and this is not CI). */
  skip?: boolean;
  /** Number of files for the listing test (default 1,000). */
  listCount?: number;
  /** Size of the large-file test in bytes (default 20 MiB). */
  largeSize?: number;
  /**
   * Set (to the reason) when the backend cannot make uploads atomic itself and the server under test does not
   * (e.g. a REST server or fake S3 that writes in place): the "never shows a partial file" check is then skipped.
   */
  serverWritesInPlace?: string;
}

const id = (): string => randomBytes(32).toString('hex');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const CONFIG: FileHandle = { type: 'config', name: '' };

async function collect(it: AsyncIterable<FileInfo>): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for await (const f of it) out.push(f);
  return out;
}

async function withBackend(factory: BackendFactory, fn: (b: Backend) => Promise<void>): Promise<void> {
  const b = await factory();
  try {
    await b.create();
    await fn(b);
  } finally {
    await b.close();
  }
}

/** Registers the conformance tests for one backend under `describe(name)`. */
export function backendConformance(
  name: string,
  factory: BackendFactory,
  opts: ConformanceOptions = {},
): void {
  const listCount = opts.listCount ?? 1000;
  const largeSize = opts.largeSize ?? 20 * 1024 * 1024;

  describe.skipIf(opts.skip === true)(`backend conformance: ${name}`, () => {
    it('saves, loads, stats, lists and removes every kind of file', async () => {
      await withBackend(factory, async (b) => {
        const kinds = ['key', 'lock', 'snapshot', 'index', 'pack'] as const;
        const saved = new Map<string, Buffer>();
        for (const type of kinds) {
          const data = randomBytes(100 + saved.size);
          const h = { type, name: id() };
          await b.save(h, data);
          saved.set(`${type}/${h.name}`, data);
          expect(await b.exists(h)).toBe(true);
          expect((await b.load(h)).equals(data)).toBe(true);
          expect(await b.stat(h)).toEqual({ name: h.name, size: data.length });
          expect(await collect(b.list(type))).toEqual([{ name: h.name, size: data.length }]);
        }
        await b.save(CONFIG, Buffer.from('config bytes'));
        expect((await b.load(CONFIG)).toString()).toBe('config bytes');
        expect((await b.stat(CONFIG)).size).toBe(12);
        for (const key of saved.keys()) {
          const [type, n] = key.split('/') as [(typeof kinds)[number], string];
          await b.remove({ type, name: n });
          expect(await b.exists({ type, name: n })).toBe(false);
          expect(await collect(b.list(type))).toEqual([]);
        }
      });
    });

    it('loads byte ranges', async () => {
      await withBackend(factory, async (b) => {
        const data = randomBytes(10_000);
        const h: FileHandle = { type: 'pack', name: id() };
        await b.save(h, data);
        expect((await b.load(h, 10, 100)).equals(data.subarray(10, 110))).toBe(true);
        expect((await b.load(h, 9_000)).equals(data.subarray(9_000))).toBe(true);
        expect((await b.load(h, 0, 1)).equals(data.subarray(0, 1))).toBe(true);
        expect((await b.load(h, 9_996, 4)).equals(data.subarray(9_996))).toBe(true);
        expect((await b.load(h, 0)).equals(data)).toBe(true);
      });
    });

    it('reports missing files with BackendNotFoundError', async () => {
      await withBackend(factory, async (b) => {
        const h: FileHandle = { type: 'snapshot', name: id() };
        expect(await b.exists(h)).toBe(false);
        expect(await b.exists(CONFIG)).toBe(false);
        await expect(b.load(h)).rejects.toBeInstanceOf(BackendNotFoundError);
        await expect(b.load(h, 5, 5)).rejects.toBeInstanceOf(BackendNotFoundError);
        await expect(b.stat(h)).rejects.toBeInstanceOf(BackendNotFoundError);
        await expect(b.remove(h)).rejects.toBeInstanceOf(BackendNotFoundError);
        await expect(b.load(CONFIG)).rejects.toBeInstanceOf(BackendNotFoundError);
        expect(await collect(b.list('lock'))).toEqual([]);
        expect(await collect(b.list('pack'))).toEqual([]);
      });
    });

    it('keeps an identical re-save and refuses different content; create refuses an existing repository', async () => {
      await withBackend(factory, async (b) => {
        await b.save(CONFIG, Buffer.from('one'));
        await b.save(CONFIG, Buffer.from('one'));
        await expect(b.save(CONFIG, Buffer.from('two'))).rejects.toThrow();
        expect((await b.load(CONFIG)).toString()).toBe('one');
        const key: FileHandle = { type: 'key', name: id() };
        await b.save(key, Buffer.from('{"k":1}'));
        await expect(b.save(key, Buffer.from('{"k":2}'))).rejects.toThrow();
        expect((await b.load(key)).toString()).toBe('{"k":1}');
        await expect(b.create()).rejects.toThrow();
      });
    });

    it(`saves and loads a large file${opts.serverWritesInPlace === undefined ? ' and never shows it partially' : ''}`, async () => {
      await withBackend(factory, async (b) => {
        const data = randomBytes(largeSize);
        const h: FileHandle = { type: 'pack', name: id() };
        // Observe the final name for as long as the save is in flight: it is either absent or complete.
        let saving = true;
        const seen: number[] = [];
        // Mostly cheap stats (a listing can take hundreds of round trips), so the in-flight window is sampled densely.
        let rounds = 0;
        const watcher = (async () => {
          while (saving) {
            const st = await b.stat(h).catch((e: unknown) => {
              if (e instanceof BackendNotFoundError) return undefined;
              throw e;
            });
            if (st) seen.push(st.size);
            if (++rounds % 16 === 0) {
              for (const f of await collect(b.list('pack'))) seen.push(f.name === h.name ? f.size : -1);
            }
          }
        })();
        try {
          await b.save(h, data);
        } finally {
          saving = false;
          await watcher;
        }
        if (opts.serverWritesInPlace === undefined) expect(seen.filter((s) => s !== largeSize)).toEqual([]);
        expect(await collect(b.list('pack'))).toEqual([{ name: h.name, size: largeSize }]);
        expect(sha(await b.load(h))).toBe(sha(data));
        const tail = await b.load(h, largeSize - 1000, 1000);
        expect(tail.equals(data.subarray(largeSize - 1000))).toBe(true);
        const mid = await b.load(h, 5_000_000, 3_000_000);
        expect(sha(mid)).toBe(sha(data.subarray(5_000_000, 8_000_000)));
      });
    });

    it('streams a file in pieces; a stream that fails or has the wrong length stores nothing', async () => {
      await withBackend(factory, async (b) => {
        const data = randomBytes(3 * 1024 * 1024 + 17);
        const pieces = function* (upTo = data.length, fail?: Error) {
          for (let off = 0; off < upTo; off += 65_536) yield data.subarray(off, Math.min(off + 65_536, upTo));
          if (fail) throw fail;
        };
        const h: FileHandle = { type: 'pack', name: sha(data) };
        const cut = new Error('the client went away');
        // A server that writes in place removes a cut file once it notices the connection is gone, or (rclone,
        // at times) keeps the part it received: never the whole length, and the next upload replaces it.
        const leftover = async () => {
          for (let i = 0; opts.serverWritesInPlace !== undefined && i < 50 && (await b.exists(h)); i++)
            await new Promise((r) => setTimeout(r, 100));
          if (!(await b.exists(h))) return 'nothing';
          const size = (await b.stat(h)).size;
          return opts.serverWritesInPlace !== undefined && size < data.length - 1
            ? 'nothing whole'
            : `${size} bytes`;
        };
        await expect(b.saveStream(h, pieces(1_000_000, cut), data.length)).rejects.toBe(cut);
        expect(await leftover()).toMatch(/^nothing/);
        await expect(b.saveStream(h, pieces(1_000_000), data.length)).rejects.toThrow(/ended after/);
        expect(await leftover()).toMatch(/^nothing/);
        await expect(b.saveStream(h, pieces(), data.length - 1)).rejects.toThrow(/longer than/);
        expect(await leftover()).toMatch(/^nothing/);
        if (opts.serverWritesInPlace === undefined) expect(await collect(b.list('pack'))).toEqual([]);
        await b.saveStream(h, pieces(), data.length);
        expect(sha(await b.load(h))).toBe(h.name);
        await b.saveStream(h, pieces(), data.length); // a retried upload of the same bytes
        const other = Buffer.from(data);
        other[5] = (other[5] ?? 0) ^ 1;
        await expect(b.saveStream(h, oneChunk(other), other.length)).rejects.toThrow(/different content/);
        expect(await collect(b.list('pack'))).toEqual([{ name: h.name, size: data.length }]);
      });
    });

    it(`lists ${listCount} files`, async () => {
      await withBackend(factory, async (b) => {
        const want = new Map<string, number>();
        const handles: FileHandle[] = [];
        for (let i = 0; i < listCount; i++) {
          const h: FileHandle = { type: i % 2 === 0 ? 'pack' : 'index', name: id() };
          handles.push(h);
          want.set(`${h.type}:${h.name}`, i % 7);
        }
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < handles.length) {
              const h = handles[next++];
              if (h) await b.save(h, Buffer.alloc(want.get(`${h.type}:${h.name}`) ?? 0, 7));
            }
          }),
        );
        const got = new Map<string, number>();
        for (const type of ['pack', 'index'] as const) {
          for (const f of await collect(b.list(type))) got.set(`${type}:${f.name}`, f.size);
        }
        expect(got.size).toBe(listCount);
        expect(got).toEqual(want);
        expect(await collect(b.list('snapshot'))).toEqual([]);
      });
    });
  });
}
