/**
 * File-system metadata as restic records it: Go `os.FileMode` bits, node types, and user/group names
 * looked up from /etc/passwd and /etc/group (restic uses the same lookups; names are omitted when the
 * lookup fails).
 */
import { readFileSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { localTime } from './gojson.js';
import type { Node, NodeType } from './tree.js';

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;

/** Go FileMode type bits. */
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_DEVICE = 2 ** 26;
const GO_NAMEDPIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_CHARDEVICE = 2 ** 21;
const GO_STICKY = 2 ** 20;

/** The lstat fields a node is made of: a BigIntStats, or one the folder worker sent (dir-read.ts). */
export type FileStat = Pick<
  BigIntStats,
  'dev' | 'ino' | 'mode' | 'nlink' | 'uid' | 'gid' | 'rdev' | 'size' | 'mtimeNs' | 'ctimeNs'
>;

/** The node type of an lstat result, or null for kinds restic cannot store. */
export function nodeTypeOf(st: Pick<FileStat, 'mode'>): NodeType | null {
  switch (Number(st.mode) & S_IFMT) {
    case S_IFREG:
      return 'file';
    case S_IFDIR:
      return 'dir';
    case S_IFLNK:
      return 'symlink';
    case S_IFBLK:
      return 'dev';
    case S_IFCHR:
      return 'chardev';
    case S_IFIFO:
      return 'fifo';
    case S_IFSOCK:
      return 'socket';
    default:
      return null;
  }
}

/** Go's os.FileMode for a POSIX st_mode (what restic stores in `mode`). */
export function goFileMode(stMode: number | bigint): number {
  const m = Number(stMode);
  let r = m & 0o777;
  if (m & 0o4000) r += GO_SETUID;
  if (m & 0o2000) r += GO_SETGID;
  if (m & 0o1000) r += GO_STICKY;
  switch (m & S_IFMT) {
    case S_IFDIR:
      r += GO_DIR;
      break;
    case S_IFLNK:
      r += GO_SYMLINK;
      break;
    case S_IFBLK:
      r += GO_DEVICE;
      break;
    case S_IFCHR:
      r += GO_DEVICE + GO_CHARDEVICE;
      break;
    case S_IFIFO:
      r += GO_NAMEDPIPE;
      break;
    case S_IFSOCK:
      r += GO_SOCKET;
      break;
    default:
      break;
  }
  return r;
}

function parseDb(path: string): Map<number, string> {
  const m = new Map<number, string>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return m;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || line.startsWith('#')) continue;
    const id = Number(f[2]);
    if (Number.isInteger(id) && !m.has(id)) m.set(id, f[0]!);
  }
  return m;
}

/** uid/gid -> name tables, read once per backup. */
export class UserDb {
  private readonly users: Map<number, string>;
  private readonly groups: Map<number, string>;

  constructor(passwd = '/etc/passwd', group = '/etc/group') {
    this.users = parseDb(passwd);
    this.groups = parseDb(group);
  }

  /** User name of a uid, or undefined (the field is then omitted, as restic does). */
  user(uid: number): string | undefined {
    return this.users.get(uid);
  }

  /** Group name of a gid, or undefined. */
  group(gid: number): string | undefined {
    return this.groups.get(gid);
  }
}

/**
 * A node from an lstat result, with the fields restic fills per type (fact sheet §8): inode and
 * device id always, size and links for files, links for symlinks and devices, rdev for devices;
 * atime is set to mtime (restic's default without --with-atime). Content, subtree and link target
 * are filled by the caller.
 */
export function nodeFromStat(name: Buffer, type: NodeType, st: FileStat, users: UserDb): Node {
  const mtime = localTime(st.mtimeNs);
  const uid = Number(st.uid);
  const gid = Number(st.gid);
  const n: Node = {
    name,
    type,
    mode: goFileMode(st.mode),
    mtime,
    atime: mtime,
    ctime: localTime(st.ctimeNs),
    uid,
    gid,
    content: null,
  };
  const user = users.user(uid);
  if (user) n.user = user;
  const group = users.group(gid);
  if (group) n.group = group;
  if (st.ino) n.inode = st.ino;
  if (st.dev) n.deviceId = st.dev;
  switch (type) {
    case 'file':
      if (st.size) n.size = Number(st.size);
      n.links = Number(st.nlink);
      n.content = [];
      break;
    case 'symlink':
      n.links = Number(st.nlink);
      break;
    case 'dev':
    case 'chardev':
      n.device = st.rdev;
      n.links = Number(st.nlink);
      break;
    case 'dir':
    case 'fifo':
    case 'socket':
      break;
  }
  return n;
}

/** True when the bytes are valid UTF-8 (a symlink target that is not also gets linktarget_raw). */
export function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}
