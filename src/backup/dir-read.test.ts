import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setXattr, userXattrProblem } from '../../test/support/xattrs.js';
import type { DirEntry, DirListing } from './dir-read.js';
import { childPath, DirReader } from './dir-read.js';
import { newCounters } from './progress.js';
import { removeTempDirs, tempDir } from './testkit.js';

afterAll(() => removeTempDirs());

const root = tempDir('steward-dir-read-');
const odd = Buffer.concat([Buffer.from(join(root, 'd', 'bad-')), Buffer.from([0xff, 0xfe])]);
const xattrs = userXattrProblem(root) === undefined;
mkdirSync(join(root, 'd', 'sub'), { recursive: true });
writeFileSync(join(root, 'd', 'b.txt'), 'bee');
writeFileSync(join(root, 'd', 'a.log'), 'log');
writeFileSync(join(root, 'd', 'sub', 'c'), 'sea!');
writeFileSync(odd, 'x');
symlinkSync('b.txt', join(root, 'd', 'link'));
if (xattrs) setXattr(join(root, 'd', 'b.txt'), 'user.k', Buffer.from([0, 0xff, 7]));

const entries = (l: DirListing): DirEntry[] => {
  if ('error' in l) throw new Error(l.error);
  return l.entries;
};

describe.each([
  ['on a worker thread', true],
  ['on the calling thread', false],
])('folder listings %s', (_, worker) => {
  it('lists raw names in byte order with their lstat and attributes, excludes applied', async () => {
    const r = new DirReader({ excludes: ['*.log'] }, worker);
    try {
      const l = entries(await r.list(Buffer.from(join(root, 'd'))));
      expect(l.map((e) => e.name)).toEqual(
        [
          Buffer.from('b.txt'),
          Buffer.from([0x62, 0x61, 0x64, 0x2d, 0xff, 0xfe]),
          Buffer.from('link'),
          Buffer.from('sub'),
        ].sort((a, b) => Buffer.compare(a, b)),
      );
      const b = l.find((e) => e.name.equals(Buffer.from('b.txt')))!;
      expect(b.stat?.size).toBe(3n);
      expect(b.stat!.mtimeNs > 0n).toBe(true);
      expect(Buffer.isBuffer(b.name)).toBe(true);
      if (xattrs) {
        const v = b.xattrs?.attrs?.[0]?.value;
        expect(Buffer.isBuffer(v)).toBe(true);
        expect(v?.toString('base64')).toBe(Buffer.from([0, 0xff, 7]).toString('base64'));
      }
      const link = l.find((e) => e.name.equals(Buffer.from('link')))!;
      expect(Number(link.stat!.mode) & 0o170000).toBe(0o120000);
    } finally {
      await r.close();
    }
  });

  it('reports a folder that cannot be read, and keeps answering', async () => {
    const r = new DirReader({}, worker);
    try {
      const l = await r.list(Buffer.from(join(root, 'missing')));
      expect('error' in l && l.error).toMatch(/ENOENT/);
      expect(entries(await r.list(Buffer.from(join(root, 'd', 'sub')))).length).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('counts files and bytes ahead of the walk, excludes applied', async () => {
    const r = new DirReader({ excludes: ['*.log'] }, worker);
    const c = newCounters();
    try {
      await r.scan([join(root, 'd')], c);
    } finally {
      await r.close();
    }
    // b.txt, the odd name, link and sub/c; a.log is excluded. Bytes count regular files only.
    expect([c.totalFiles, c.totalBytes, c.scanDone]).toEqual([4, 3 + 1 + 4, true]);
  });
});

describe('the folder worker', () => {
  it('fails open requests when closed, and refuses new ones', async () => {
    const r = new DirReader({}, true);
    const open = r.list(Buffer.from(root));
    await r.close();
    await expect(open).rejects.toThrow(/closed/);
    await expect(r.list(Buffer.from(root))).rejects.toThrow(/closed/);
  });
});

describe('childPath', () => {
  it('joins raw bytes, with one slash under the root', () => {
    expect(childPath(Buffer.from('/'), Buffer.from('a'))).toEqual(Buffer.from('/a'));
    expect(childPath(Buffer.from('/x'), Buffer.from([0xff]))).toEqual(Buffer.from([0x2f, 0x78, 0x2f, 0xff]));
  });
});
