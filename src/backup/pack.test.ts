import { afterAll, describe, expect, it } from 'vitest';
import { encrypt, sha256Hex } from './crypto.js';
import { FormatError, IntegrityError } from './errors.js';
import {
  decodePackHeader,
  encodePackHeader,
  packSize,
  parsePack,
  readPackHeader,
  sealPackHeader,
  type PackedBlob,
} from './pack.js';
import { decodeUnpackedPlaintext, encodeUnpackedPlaintext, loadUnpacked, saveUnpacked } from './unpacked.js';
import { decodeIndex, encodeIndex } from './index.js';
import { makeRepo, removeTempDirs } from './testkit.js';

afterAll(removeTempDirs);

const id = (n: number): string => sha256Hex(Buffer.from([n]));

describe('pack header', () => {
  it('encodes 37- and 41-byte entries and decodes offsets', () => {
    const blobs = [
      { type: 'data' as const, id: id(1), length: 100 },
      { type: 'tree' as const, id: id(2), length: 50, uncompressedLength: 400 },
      { type: 'data' as const, id: id(3), length: 40, uncompressedLength: 10 },
      { type: 'tree' as const, id: id(4), length: 33 },
    ];
    const h = encodePackHeader(blobs);
    expect(h.length).toBe(37 + 41 + 41 + 37);
    expect([h[0], h[37], h[78], h[119]]).toEqual([0, 3, 2, 1]);
    expect(decodePackHeader(h)).toEqual([
      { ...blobs[0], offset: 0 },
      { ...blobs[1], offset: 100 },
      { ...blobs[2], offset: 150 },
      { ...blobs[3], offset: 190 },
    ]);
    expect(() => decodePackHeader(h.subarray(0, 40))).toThrow(FormatError);
    const bad = Buffer.from(h);
    bad[0] = 9;
    expect(() => decodePackHeader(bad)).toThrow(FormatError);
  });

  it('parses a whole pack, by ranged reads too, and detects corruption and truncation', async () => {
    const repo = await makeRepo(2);
    const k = repo.key;
    const data = [Buffer.from('hello'), Buffer.alloc(5000, 1)];
    const encs = data.map((d) => encrypt(k, d));
    const entries: PackedBlob[] = [];
    let off = 0;
    for (const [i, e] of encs.entries()) {
      entries.push({ type: 'data', id: sha256Hex(data[i]!), offset: off, length: e.length });
      off += e.length;
    }
    // Many entries so the header is bigger than the eager tail read.
    for (let i = 0; i < 30; i++) {
      entries.push({ type: 'data', id: id(i), offset: off, length: 32 });
      encs.push(encrypt(k, Buffer.alloc(0)));
      off += 32;
    }
    const pack = Buffer.concat([...encs, sealPackHeader(k, entries)]);
    expect(pack.length).toBe(packSize(entries));
    expect(parsePack(k, pack)).toEqual(entries);
    const pid = sha256Hex(pack);
    await repo.backend.save({ type: 'pack', name: pid }, pack);
    expect(await readPackHeader(repo.backend, k, pid)).toEqual(entries);
    const flipped = Buffer.from(pack);
    flipped[pack.length - 10]! ^= 1;
    expect(() => parsePack(k, flipped)).toThrow(IntegrityError);
    expect(() => parsePack(k, pack.subarray(100))).toThrow();
    expect(() => parsePack(k, pack.subarray(0, 20))).toThrow(FormatError);
  });
});

describe('unpacked files and index JSON', () => {
  it('v2 compresses with a 0x02 prefix; raw JSON is accepted; other bytes are not', async () => {
    const json = Buffer.from('{"a":1}');
    const p = encodeUnpackedPlaintext(2, json);
    expect(p[0]).toBe(2);
    expect(decodeUnpackedPlaintext(p).equals(json)).toBe(true);
    expect(decodeUnpackedPlaintext(json).equals(json)).toBe(true);
    expect(decodeUnpackedPlaintext(Buffer.from('[1]')).toString()).toBe('[1]');
    expect(() => decodeUnpackedPlaintext(Buffer.from([3, 1]))).toThrow(FormatError);
    expect(encodeUnpackedPlaintext(1, json).equals(json)).toBe(true);
    const repo = await makeRepo(2);
    const sid = await saveUnpacked(repo.backend, repo.key, 2, 'snapshot', json);
    expect((await loadUnpacked(repo.backend, repo.key, 'snapshot', sid)).equals(json)).toBe(true);
    // A file whose bytes do not hash to its name is rejected.
    const other = await saveUnpacked(repo.backend, repo.key, 2, 'lock', json);
    await repo.backend.save(
      { type: 'lock', name: sid },
      await repo.backend.load({ type: 'lock', name: other }),
    );
    await expect(loadUnpacked(repo.backend, repo.key, 'lock', sid)).rejects.toBeInstanceOf(IntegrityError);
    // A truncated file whose name happens to match (written by a broken tool): the MAC catches it.
    const full = await repo.backend.load({ type: 'snapshot', name: sid });
    const cut = full.subarray(0, full.length - 7);
    await repo.backend.save({ type: 'snapshot', name: sha256Hex(cut) }, cut);
    await expect(loadUnpacked(repo.backend, repo.key, 'snapshot', sha256Hex(cut))).rejects.toBeInstanceOf(
      IntegrityError,
    );
  });

  it('encodes index JSON in Go order and decodes it back', () => {
    const packs = [
      {
        id: id(9),
        blobs: [
          { type: 'data' as const, id: id(1), offset: 0, length: 40 },
          { type: 'tree' as const, id: id(2), offset: 40, length: 50, uncompressedLength: 99 },
        ],
      },
    ];
    const j = encodeIndex(packs);
    expect(j).toBe(
      `{"packs":[{"id":"${id(9)}","blobs":[{"id":"${id(1)}","type":"data","offset":0,"length":40},{"id":"${id(2)}","type":"tree","offset":40,"length":50,"uncompressed_length":99}]}]}`,
    );
    expect(decodeIndex(j)).toEqual({ supersedes: [], packs });
    expect(encodeIndex(packs, [id(5)])).toMatch(/^\{"supersedes":\["[0-9a-f]{64}"\],"packs"/);
    expect(decodeIndex(`[{"id":"${id(9)}","blobs":[]}]`).packs).toHaveLength(1);
    expect(() => decodeIndex('{"packs":[{"id":"zz","blobs":[]}]}')).toThrow(FormatError);
    expect(() =>
      decodeIndex(
        `{"packs":[{"id":"${id(9)}","blobs":[{"id":"${id(1)}","type":"other","offset":0,"length":1}]}]}`,
      ),
    ).toThrow(FormatError);
  });
});
