import { describe, expect, it } from 'vitest';
import { sha256Hex } from './crypto.js';
import { MasterIndex } from './master-index.js';

const id = (n: number): string => sha256Hex(Buffer.from(String(n)));

describe('MasterIndex', () => {
  it('finds every blob among many, by type, with duplicates', () => {
    const mi = new MasterIndex();
    const N = 100_000;
    for (let i = 0; i < N; i++)
      mi.add(id(i % 7), {
        type: i % 3 === 0 ? 'tree' : 'data',
        id: id(i),
        offset: i,
        length: 100 + (i % 50),
        uncompressedLength: i % 2 ? i : undefined,
      });
    expect(mi.size).toBe(N);
    for (let i = 0; i < N; i += 997) {
      const t = i % 3 === 0 ? 'tree' : 'data';
      const l = mi.lookup(t, id(i));
      expect(l).toEqual([
        i % 2
          ? { packId: id(i % 7), offset: i, length: 100 + (i % 50), uncompressedLength: i }
          : { packId: id(i % 7), offset: i, length: 100 + (i % 50) },
      ]);
      expect(mi.has(t === 'tree' ? 'data' : 'tree', id(i))).toBe(false);
    }
    expect(mi.has('data', id(N + 1))).toBe(false);
    expect(mi.lookup('data', 'not-an-id')).toEqual([]);
    mi.add(id(1), { type: 'data', id: id(1), offset: 1, length: 101, uncompressedLength: 1 }); // exact duplicate: ignored
    mi.add(id(100), { type: 'data', id: id(1), offset: 5, length: 101 }); // second copy elsewhere: kept
    expect(mi.lookup('data', id(1)).map((l) => l.packId)).toEqual([id(1), id(100)]);
    expect(mi.packCount).toBe(8);
    expect([...mi.entries()].length).toBe(N + 1);
    expect(mi.plainSize('data', id(1))).toBe(1);
    expect(mi.plainSize('data', id(2))).toBe(102 - 32);
  });
});
