import { createCipheriv, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../../test/support/requires.js';
import { fileBlobs, restic, resticAvailable, snapshotIds } from '../../test/interop/restic-helpers.js';
import { Chunker, chunkStream, MAX_SIZE, MIN_SIZE, polMod } from './chunker.js';

/** Deterministic pseudo-random bytes (AES-CTR keystream of a seed), so failures can be reproduced. */
function prng(seed: number, n: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32LE(seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
// A polynomial restic generated for a real repository (irreducible, degree 53).
const POL = '306b6decf3da31';

function chunkAll(data: Buffer, pieces: number[]): Buffer[] {
  const c = new Chunker(POL);
  const out: Buffer[] = [];
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const n = pieces[i++ % pieces.length]!;
    out.push(...c.push(data.subarray(pos, pos + n)));
    pos += n;
  }
  const last = c.finish();
  if (last) out.push(last);
  return out;
}

describe('Chunker (unit)', () => {
  it('cuts all-zero data into exact MinSize chunks and keeps the remainder', () => {
    const chunks = chunkAll(Buffer.alloc(3 * MIN_SIZE + 100), [1 << 20]);
    expect(chunks.map((c) => c.length)).toEqual([MIN_SIZE, MIN_SIZE, MIN_SIZE, 100]);
  });

  it('emits nothing for an empty file and one chunk for a small one', () => {
    expect(chunkAll(Buffer.alloc(0), [1])).toEqual([]);
    expect(chunkAll(prng(1, 1000), [1000]).map((c) => c.length)).toEqual([1000]);
  });

  it('gives the same cuts whatever the buffer boundaries', () => {
    const data = prng(2, 12 * 1024 * 1024);
    const a = chunkAll(data, [data.length]).map(sha);
    const b = chunkAll(data, [1, 7, 65536, 300_001, 1 << 20]).map(sha);
    expect(b).toEqual(a);
    expect(Buffer.concat(chunkAll(data, [4096])).equals(data)).toBe(true);
    for (const c of chunkAll(data, [65536])) expect(c.length).toBeLessThanOrEqual(MAX_SIZE);
  });

  it('rejects a polynomial of the wrong degree', () => {
    expect(() => new Chunker('ff')).toThrow(/degree 53/);
  });

  it('reduces polynomials over GF(2)', () => {
    // x^3 mod (x^2+1) = x  (0b1000 mod 0b101 = 0b10)
    expect(polMod(0b1000n, 0b101n)).toBe(0b10n);
  });
});

describe('Chunker vs restic', () => {
  const run = requireComponent(
    'chunker vs restic',
    resticAvailable,
    'restic binary not found (apt-get install restic)',
  );
  let dir = '';
  const files = new Map<string, Buffer>();

  beforeAll(() => {
    if (!run) return;
    dir = mkdtempSync(join(tmpdir(), 'steward-chunker-'));
    mkdirSync(join(dir, 'data'));
    const base = prng(3, 40 * 1024 * 1024);
    const inserted = Buffer.concat([base.subarray(0, 7_000_000), prng(4, 12345), base.subarray(7_000_000)]);
    const overwritten = Buffer.from(base);
    prng(5, 3_000_000).copy(overwritten, 20_000_000);
    const mixed = Buffer.concat([prng(6, 3_000_000), Buffer.alloc(5_000_000), prng(7, 2_000_000)]);
    files.set('small-0.7MiB', prng(8, 734_003));
    files.set('base-40MiB', base);
    files.set('inserted', inserted);
    files.set('overwritten', overwritten);
    files.set('zeros-9MiB', Buffer.alloc(9 * 1024 * 1024 + 17));
    files.set('mixed', mixed);
    files.set('exact-min', prng(9, MIN_SIZE));
    files.set('min-plus-one', prng(10, MIN_SIZE + 1));
    for (const [name, data] of files) writeFileSync(join(dir, 'data', name), data, { flag: 'w' });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(run)('reproduces restic blob ids for every file', async () => {
    const repo = join(dir, 'repo');
    restic(repo, 'pw', ['init']);
    const config = JSON.parse(restic(repo, 'pw', ['cat', 'config'])) as { chunker_polynomial: string };
    restic(repo, 'pw', ['backup', '-q', join(dir, 'data')]);
    const [snap] = snapshotIds(repo, 'pw');
    const blobs = fileBlobs(repo, 'pw', snap!);
    expect(blobs.size).toBe(files.size);
    for (const [name] of files) {
      const ids: string[] = [];
      for await (const chunk of chunkStream(
        createReadStream(join(dir, 'data', name)),
        config.chunker_polynomial,
      )) {
        ids.push(sha(chunk));
      }
      const theirs = [...blobs.entries()].find(([p]) => p.endsWith(`/data/${name}`))?.[1];
      expect({ name, ids }).toEqual({ name, ids: theirs });
    }
    // The edited files must share most chunks with the base (the point of CDC).
    const baseIds = new Set(blobs.get([...blobs.keys()].find((p) => p.endsWith('/base-40MiB'))!));
    const ins = blobs.get([...blobs.keys()].find((p) => p.endsWith('/inserted'))!)!;
    expect(ins.filter((id) => baseIds.has(id)).length).toBeGreaterThan(ins.length - 4);
  });
});
