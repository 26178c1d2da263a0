/**
 * `dump`: one file of a snapshot as its bytes, or a folder as a tar archive laid out as restic 0.14's dump writes
 * it (Go's archive/tar with the format left to it): entries named by their snapshot path without the leading `/`,
 * folders with a trailing `/`, permission bits, uid/gid, user/group names, mtime rounded to the second; USTAR
 * headers, with a PAX header before an entry whose path, link target, names, size or ids do not fit USTAR, and
 * for extended attributes (`SCHILY.xattr.<name>`; POSIX ACLs as `SCHILY.acl.access` / `SCHILY.acl.default` text).
 */
import { posix } from 'node:path';
import { SnapshotNotFoundError } from './errors.js';
import type { Repository } from './repository.js';
import { linkTargetBytes, MODE } from './tree.js';
import type { Node } from './tree.js';
import { splitPath } from './walk.js';

/** What a dump path names: the snapshot's root (node null) or one node, with its exact path bytes. */
export interface DumpTarget {
  node: Node | null;
  /** Name bytes from the root down to the node (empty for the root). */
  parts: Buffer[];
  /** The root tree id when node is null. */
  tree: string;
}

/** Finds the node at `path` (`/` or empty: the root); throws {@link SnapshotNotFoundError} when missing. */
export async function findDumpTarget(repo: Repository, tree: string, path: string): Promise<DumpTarget> {
  const wanted = splitPath(path);
  let cur: Node | null = null;
  let treeId = tree;
  for (const [i, name] of wanted.entries()) {
    const t = await repo.loadTree(treeId);
    const next = t.nodes.find((n) => n.name.equals(name));
    if (!next || (i < wanted.length - 1 && (next.type !== 'dir' || !next.subtree)))
      throw new SnapshotNotFoundError(`path ${JSON.stringify(path)} not found in snapshot`);
    cur = next;
    treeId = next.subtree ?? '';
  }
  return { node: cur, parts: wanted, tree };
}

/** Yields a file's contents blob by blob. */
export async function* fileContents(repo: Repository, node: Node): AsyncGenerator<Buffer> {
  for (const id of node.content ?? []) yield await repo.loadBlob('data', id);
}

const BLOCK = 512;

function octal(value: number | bigint, width: number): Buffer | null {
  const s = value.toString(8);
  if (s.length > width - 1) return null;
  return Buffer.from(`${s.padStart(width - 1, '0')}\0`, 'latin1');
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

const isAscii = (b: Buffer): boolean => b.every((c) => c < 0x80 && c !== 0);
/** Go's toASCII: non-ASCII characters (and NUL) dropped. */
const toAscii = (b: Buffer): Buffer => Buffer.from(b.filter((c) => c < 0x80 && c !== 0));

/** Go's splitUSTARPath: a prefix (≤155) and a name (≤100) split at a slash. */
function splitUstar(name: Buffer): [Buffer, Buffer] | null {
  let length = name.length;
  if (length <= 100 || !isAscii(name)) return null;
  if (length > 156) length = 156;
  else if (name[length - 1] === 0x2f) length--;
  const i = name.subarray(0, length).lastIndexOf(0x2f);
  const nlen = name.length - i - 1;
  if (i <= 0 || nlen > 100 || nlen === 0 || i > 155) return null;
  return [name.subarray(0, i), name.subarray(i + 1)];
}

interface Header {
  name: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: string;
  linkname: Buffer;
  uname: Buffer;
  gname: Buffer;
  xattrs: [string, Buffer][];
}

interface Block {
  name: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: string;
  linkname?: Buffer;
  uname?: Buffer;
  gname?: Buffer;
  prefix?: Buffer;
  /** devmajor/devminor written (Go's templateV7Plus); a PAX extended header leaves them empty. */
  dev: boolean;
}

function block(h: Block): Buffer {
  const b = Buffer.alloc(BLOCK);
  const put = (buf: Buffer | null | undefined, at: number, width: number): void => {
    if (buf) buf.copy(b, at, 0, Math.min(buf.length, width));
  };
  put(h.name, 0, 100);
  put(octal(h.mode, 8) ?? octal(0, 8), 100, 8);
  put(octal(h.uid, 8) ?? octal(0, 8), 108, 8);
  put(octal(h.gid, 8) ?? octal(0, 8), 116, 8);
  put(octal(h.size, 12) ?? octal(0, 12), 124, 12);
  put(octal(h.mtime, 12) ?? octal(0, 12), 136, 12);
  b.write(h.type, 156, 'latin1');
  put(h.linkname, 157, 100);
  b.write('ustar\u000000', 257, 'latin1');
  put(h.uname, 265, 32);
  put(h.gname, 297, 32);
  if (h.dev) {
    put(octal(0, 8), 329, 8);
    put(octal(0, 8), 337, 8);
  }
  put(h.prefix, 345, 155);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += c;
  Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1').copy(b, 148);
  return b;
}

function pad(length: number): Buffer {
  return Buffer.alloc((BLOCK - (length % BLOCK)) % BLOCK);
}

/** The PAX extended header's name, as Go's writer makes it: dir/PaxHeaders.0/file. */
function paxName(name: Buffer): Buffer {
  const text = name.toString('latin1');
  const slash = text.lastIndexOf('/');
  const joined = posix.join(text.slice(0, slash + 1), 'PaxHeaders.0', text.slice(slash + 1));
  const ascii = toAscii(Buffer.from(joined, 'latin1')).subarray(0, 100).toString('latin1');
  return Buffer.from(ascii.replace(/\/+$/, ''), 'latin1');
}

/**
 * The header block(s) of one entry as Go's tar writer chooses them: USTAR when every field fits (a long path
 * split into prefix and name), else a PAX extended header (records sorted by key) before the main header.
 */
export function tarHeader(h: Header): Buffer {
  const pax = new Map<string, Buffer>();
  let ustar = h.xattrs.length === 0;
  const str = (v: Buffer, size: number, key: string): void => {
    if (isAscii(v) && v.length <= size) return;
    if (key !== 'path' || !splitUstar(v)) ustar = false;
    pax.set(key, v);
  };
  const num = (v: number, size: number, key: string): void => {
    if (octal(v, size)) return;
    ustar = false;
    pax.set(key, Buffer.from(String(v)));
  };
  str(h.name, 100, 'path');
  str(h.linkname, 100, 'linkpath');
  str(h.uname, 32, 'uname');
  str(h.gname, 32, 'gname');
  num(h.uid, 8, 'uid');
  num(h.gid, 8, 'gid');
  num(h.size, 12, 'size');
  num(h.mtime, 12, 'mtime');
  const base = {
    mode: h.mode,
    uid: h.uid,
    gid: h.gid,
    size: h.size,
    mtime: h.mtime,
    type: h.type,
    dev: true,
  };
  if (ustar) {
    const [prefix, name] = splitUstar(h.name) ?? [undefined, h.name];
    return block({ ...base, name, prefix, linkname: h.linkname, uname: h.uname, gname: h.gname });
  }
  for (const [k, v] of h.xattrs) if (!pax.has(k)) pax.set(k, v);
  const keys = [...pax.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const body = Buffer.concat(keys.map((k) => paxRecord(k, pax.get(k)!)));
  const x = block({
    name: paxName(h.name),
    mode: 0,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: 0,
    type: 'x',
    dev: false,
  });
  const main = block({
    ...base,
    name: toAscii(h.name),
    linkname: toAscii(h.linkname),
    uname: toAscii(h.uname),
    gname: toAscii(h.gname),
  });
  return Buffer.concat([x, body, pad(body.length), main]);
}

/**
 * A POSIX ACL xattr (`system.posix_acl_access` / `_default`: a little-endian version, then 8-byte entries of tag,
 * permissions, id) as restic 0.14's dump writes it: `user::rw-` lines, numeric ids for named users and groups.
 */
export function aclText(value: Buffer): string {
  if (value.length < 4) return '';
  const tags: Record<number, (id: number) => string> = {
    0x01: () => 'user::',
    0x02: (id) => `user:${id}:`,
    0x04: () => 'group::',
    0x08: (id) => `group:${id}:`,
    0x10: () => 'mask::',
    0x20: () => 'other::',
  };
  let out = '';
  for (let at = 4; at + 8 <= value.length; at += 8) {
    const perm = value.readUInt16LE(at + 2);
    const who = tags[value.readUInt16LE(at)]?.(value.readUInt32LE(at + 4)) ?? '?:';
    out += `${who}${perm & 4 ? 'r' : '-'}${perm & 2 ? 'w' : '-'}${perm & 1 ? 'x' : '-'}\n`;
  }
  return out;
}

/** restic's PAX records for a node's xattrs: `SCHILY.xattr.<name>`, POSIX ACLs as `SCHILY.acl.access|default`. */
function paxXattrs(node: Node): [string, Buffer][] {
  const out = new Map<string, Buffer>();
  for (const a of node.extendedAttributes ?? []) {
    if (!a.name.startsWith('system.posix_acl_')) {
      out.set(`SCHILY.xattr.${a.name}`, a.value);
      continue;
    }
    const text = aclText(a.value);
    if (text === '') continue;
    if (a.name.includes('system.posix_acl_access')) out.set('SCHILY.acl.access', Buffer.from(text));
    else if (a.name.includes('system.posix_acl_default')) out.set('SCHILY.acl.default', Buffer.from(text));
  }
  return [...out];
}

function headerOf(node: Node, name: Buffer): Header {
  const m = node.mode ?? 0;
  let mode = m & 0o777;
  if (m & MODE.setuid) mode |= 0o4000;
  if (m & MODE.setgid) mode |= 0o2000;
  if (m & MODE.sticky) mode |= 0o1000;
  const dir = node.type === 'dir';
  const link = node.type === 'symlink';
  const s = node.mtime.ns / 1_000_000_000n;
  const frac = node.mtime.ns % 1_000_000_000n;
  return {
    name: dir ? Buffer.concat([name, Buffer.from('/')]) : name,
    mode,
    uid: node.uid,
    gid: node.gid,
    size: node.type === 'file' ? (node.size ?? 0) : 0,
    mtime: Number(frac >= 500_000_000n ? s + 1n : s),
    type: dir ? '5' : link ? '2' : '0',
    linkname: link ? linkTargetBytes(node) : Buffer.alloc(0),
    uname: Buffer.from(node.user ?? ''),
    gname: Buffer.from(node.group ?? ''),
    xattrs: paxXattrs(node),
  };
}

/** One node a folder dump writes, with its path in the archive (no leading `/`). */
export interface DumpEntry {
  node: Node;
  name: Buffer;
}

/**
 * The nodes a folder dump writes, in restic's order (tree order, each folder before what it holds): every node
 * directly in the dumped folder, and below it only files, folders and symlinks (restic's walker skips fifos,
 * devices and sockets there).
 */
export async function* dumpEntries(repo: Repository, target: DumpTarget): AsyncGenerator<DumpEntry> {
  const treeId = target.node ? target.node.subtree : target.tree;
  if (treeId) yield* entriesOf(repo, treeId, target.parts, true);
}

async function* entriesOf(
  repo: Repository,
  treeId: string,
  parts: Buffer[],
  top: boolean,
): AsyncGenerator<DumpEntry> {
  const tree = await repo.loadTree(treeId);
  for (const node of tree.nodes) {
    if (!top && node.type !== 'file' && node.type !== 'dir' && node.type !== 'symlink') continue;
    const p = [...parts, node.name];
    yield { node, name: Buffer.concat(p.flatMap((x, i) => (i === 0 ? [x] : [Buffer.from('/'), x]))) };
    if (node.type === 'dir' && node.subtree) yield* entriesOf(repo, node.subtree, p, false);
  }
}

/** Yields a file's contents, checking that their length is the size its node records. */
export async function* checkedContents(repo: Repository, node: Node, name: Buffer): AsyncGenerator<Buffer> {
  let written = 0;
  for await (const chunk of fileContents(repo, node)) {
    written += chunk.length;
    yield chunk;
  }
  const size = node.size ?? 0;
  if (written !== size)
    throw new Error(`${name.toString('utf8')}: ${written} bytes stored, the node says ${size}`);
}

/** Yields a tar archive of everything below the target folder (the root: the whole snapshot), in tree order. */
export async function* dumpTar(repo: Repository, target: DumpTarget): AsyncGenerator<Buffer> {
  for await (const { node, name } of dumpEntries(repo, target)) {
    const h = headerOf(node, name);
    yield tarHeader(h);
    if (node.type === 'file') {
      yield* checkedContents(repo, node, name);
      yield pad(h.size);
    }
  }
  yield Buffer.alloc(2 * BLOCK);
}
