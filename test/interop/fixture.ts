/**
 * A file tree with the awkward cases a backup must round-trip (odd names, links, sparse and large
 * files, permissions, times), and a comparison of two trees including metadata.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
  chmodSync,
} from 'node:fs';

/** Deterministic pseudo-random bytes. */
export function prng(seed: number, n: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32LE(seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

const B = (s: string): Buffer => Buffer.from(s);
const j = (dir: Buffer, name: Buffer | string): Buffer =>
  Buffer.concat([dir, B('/'), typeof name === 'string' ? B(name) : name]);

/** Creates the fixture under `root` (which must exist). `large` sets the size of the big random file. */
export function makeFixture(root: string, large = 12 * 1024 * 1024): void {
  const r = B(root);
  writeFileSync(j(r, 'plain.txt'), 'hello world\n');
  writeFileSync(j(r, 'empty'), '');
  writeFileSync(j(r, 'ünïcödé 名前.txt'), 'unicode\n');
  writeFileSync(j(r, 'with space'), 'space\n');
  writeFileSync(j(r, 'new\nline'), 'newline\n');
  writeFileSync(j(r, 'quote"back\\slash'), 'quote\n');
  writeFileSync(
    j(r, Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x62, 0x69, 0x6e])),
    'invalid utf8 name\n',
  );
  writeFileSync(j(r, 'large.bin'), prng(42, large));
  // Sparse: 30 MiB with two small data islands.
  const fd = openSync(j(r, 'sparse.img'), 'w');
  writeSync(fd, prng(7, 4096), 0, 4096, 5 * 1024 * 1024);
  writeSync(fd, B('end'), 0, 3, 30 * 1024 * 1024 - 3);
  closeSync(fd);
  mkdirSync(j(r, 'dir/sub'), { recursive: true });
  writeFileSync(j(r, 'dir/sub/deep.txt'), 'deep\n');
  writeFileSync(j(r, 'dir/secret'), 'secret\n');
  chmodSync(j(r, 'dir/secret'), 0o600);
  writeFileSync(j(r, 'dir/tool.sh'), '#!/bin/sh\n');
  chmodSync(j(r, 'dir/tool.sh'), 0o755);
  mkdirSync(j(r, 'emptydir'));
  chmodSync(j(r, 'emptydir'), 0o700);
  symlinkSync('plain.txt', j(r, 'link-rel'));
  symlinkSync('/nonexistent/target', j(r, 'link-dangling'));
  linkSync(j(r, 'plain.txt'), j(r, 'dir/hardlink-to-plain'));
  utimesSync(j(r, 'plain.txt'), new Date('2020-02-03T04:05:06.789Z'), new Date('2020-02-03T04:05:06.789Z'));
  utimesSync(j(r, 'dir/sub/deep.txt'), new Date('1999-12-31T23:59:59Z'), new Date('1999-12-31T23:59:59Z'));
}

/** One entry of a tree description. */
export interface Entry {
  type: string;
  mode: number;
  size: number;
  mtimeMs: number;
  hash?: string;
  link?: string;
  /** Index of the hard-link group (entries with the same inode share it), when nlink > 1. */
  linkGroup?: number;
}

function kind(st: BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Describes a tree: relative raw path (hex-safe string key) -> metadata and content hash. */
export function describeTree(root: string, opts: { dirTimes?: boolean } = {}): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const groups = new Map<bigint, number>();
  const walk = (dir: Buffer, rel: string): void => {
    for (const name of readdirSync(dir, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b))) {
      const p = j(dir, name);
      const key = `${rel}/${name.toString('latin1')}`;
      const st = lstatSync(p, { bigint: true });
      const e: Entry = {
        type: kind(st),
        mode: Number(st.mode) & 0o7777,
        size: st.isFile() ? Number(st.size) : 0,
        mtimeMs: Number(st.mtimeNs / 1_000_000n),
      };
      if (st.isDirectory() && !opts.dirTimes) e.mtimeMs = 0;
      if (st.isSymbolicLink()) e.mode = 0;
      if (st.isFile()) e.hash = createHash('sha256').update(readFileSync(p)).digest('hex');
      if (st.isSymbolicLink()) e.link = readlinkSync(p, { encoding: 'buffer' }).toString('latin1');
      if (st.isFile() && st.nlink > 1n) {
        if (!groups.has(st.ino)) groups.set(st.ino, groups.size);
        e.linkGroup = groups.get(st.ino);
      }
      out.set(key, e);
      if (st.isDirectory()) walk(p, key);
    }
  };
  walk(B(root), '');
  return out;
}
