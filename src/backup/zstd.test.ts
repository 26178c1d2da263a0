import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireComponent } from '../../test/support/requires.js';
import { FormatError } from './errors.js';
import { frameContentSize, zstdCompress, zstdDecompress, zstdImplementation } from './zstd.js';

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

describe('zstd bindings', () => {
  it('uses zstd-napi where it installed, and both bindings read each other', () => {
    const available = zstdImplementation() === 'zstd-napi';
    if (
      !requireComponent(
        'zstd bindings',
        available,
        'zstd-napi did not build at npm install (needs g++ and make)',
      )
    )
      return;
    const data = Buffer.concat([Buffer.from('restic '.repeat(5000)), randomBytes(3000), Buffer.alloc(9000)]);
    const viaNative = zstdCompress(data);
    // The fallback binding, loaded afresh in a process that is told not to use zstd-napi.
    const script = `import('./src/backup/zstd.ts').then((z) => {
      const input = Buffer.from(process.argv[1], 'base64');
      const out = { impl: z.zstdImplementation(), plain: z.zstdDecompress(input, ${data.length}).toString('base64'),
        packed: z.zstdCompress(Buffer.from(process.argv[2], 'base64')).toString('base64') };
      process.stdout.write(JSON.stringify(out));
    })`;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', script, viaNative.toString('base64'), data.toString('base64')],
      { env: { ...process.env, STEWARD_ZSTD: 'node-zstd' }, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { impl: string; plain: string; packed: string };
    expect(out.impl).toBe('node-zstd');
    expect(Buffer.from(out.plain, 'base64').equals(data)).toBe(true);
    expect(zstdDecompress(Buffer.from(out.packed, 'base64'), data.length).equals(data)).toBe(true);
    // A frame holding more or less than the index says is refused by the native path too.
    expect(() => zstdDecompress(viaNative, data.length - 1)).toThrow(FormatError);
    expect(() => zstdDecompress(viaNative, data.length + 1)).toThrow(FormatError);
    expect(() => zstdDecompress(viaNative.subarray(0, viaNative.length - 3), data.length)).toThrow(
      FormatError,
    );
  });
});
