import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { frameContentSize, zstdCompress, zstdDecompress } from './zstd.js';

describe('zstd', () => {
  it('round-trips one frame without checksum', () => {
    const data = Buffer.from('restic '.repeat(10_000));
    const z = zstdCompress(data);
    expect(z.subarray(0, 4).toString('hex')).toBe('28b52ffd');
    expect((z[4]! >> 2) & 1).toBe(0); // Content_Checksum_flag off, as restic writes
    expect(zstdDecompress(z, data.length).equals(data)).toBe(true);
    expect(() => zstdDecompress(z, data.length - 1)).toThrow(FormatError);
    expect(() => zstdDecompress(Buffer.from('not zstd at all'))).toThrow(FormatError);
  });

  it('reads the declared content size and refuses oversized frames before decoding', () => {
    // Single-segment frame header declaring 2^32-1 bytes (4-byte FCS), followed by junk.
    const bomb = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]);
    expect(frameContentSize(bomb)).toBe(0xffffffff);
    expect(() => zstdDecompress(bomb, 100)).toThrow(/declares/);
    expect(() => zstdDecompress(bomb)).toThrow(/declares/);
    const z = zstdCompress(Buffer.alloc(1000, 1));
    const fcs = frameContentSize(z);
    if (fcs !== undefined) expect(fcs).toBe(1000);
  });
});
