/**
 * Extended attributes (Linux xattrs) as restic stores them in a node's `extended_attributes`: every
 * name listxattr reports, in the order it reports them (restic neither sorts nor filters; on Linux every
 * name is in the user, security, trusted or system namespace), and the field omitted when there are none.
 * Symlinks get their own attributes (the l* calls, as restic >= 0.16; 0.14 skipped symlinks).
 *
 * Node has no xattr API: this uses `@napi-rs/xattr`, whose calls never follow a final symlink and take
 * UTF-8 path strings. A path that is not UTF-8 is reached through an O_PATH descriptor under
 * /proc/self/fd: the parent folder's when only folder names are not UTF-8, the folder's own for a
 * folder. A non-folder whose own name is not UTF-8 cannot be named at all (the library has no fd calls, and
 * its calls on /proc/self/fd/N act on the magic link itself): its attributes are not read (silently: such
 * names are common in old archives, and a warning each backup would mark every one incomplete), and not
 * restored (a warning, as the snapshot says there were some).
 *
 * Listing costs about 1-2 µs a file (a synchronous call; an lstat costs ~8 µs); a file system that answers
 * ENOTSUP is remembered by device and not asked again. Any failure is a problem to report, never fatal.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { isUtf8 } from 'node:buffer';
import type * as Lib from '@napi-rs/xattr';
import type { ExtendedAttribute, NodeType } from './tree.js';
import { errorMessage } from './errors.js';

type XattrLib = Pick<
  typeof Lib,
  'listAttributesSync' | 'getAttributeSync' | 'setAttributeSync' | 'removeAttributeSync'
>;

let lib: XattrLib | null | undefined;
let libError = '';

/** The native binding, loaded on first use; null where it does not load (no prebuilt binary). */
function xattrLib(): XattrLib | null {
  if (lib === undefined) {
    try {
      lib = createRequire(import.meta.url)('@napi-rs/xattr') as XattrLib;
    } catch (e) {
      lib = null;
      libError = errorMessage(e);
    }
  }
  return lib;
}

/** True when extended attributes can be read and written on this platform. */
export function xattrSupported(): boolean {
  return xattrLib() !== null;
}

const { ENOTSUP, ENODATA, EOPNOTSUPP } = osConstants.errno;
/** Linux O_PATH (not in fs.constants): names an inode without opening it, needing no read permission. */
const O_PATH = 0o10000000;

/** The errno of an @napi-rs/xattr error ("... (os error 95)"). */
function errnoOf(e: unknown): number | undefined {
  const m = /\(os error (\d+)\)/.exec(errorMessage(e));
  return m ? Number(m[1]) : undefined;
}
const unsupported = (e: unknown): boolean => {
  const n = errnoOf(e);
  return n === ENOTSUP || n === EOPNOTSUPP;
};

/** A non-folder whose own name is not UTF-8: the library cannot reach it. */
class UnnameableError extends Error {
  constructor() {
    super('the name is not valid UTF-8, which the xattr library cannot pass');
  }
}

/**
 * Calls `fn` with a string path naming the item at `path` (raw bytes). UTF-8 paths are used as they are;
 * others go through a descriptor under /proc/self/fd (see the module comment).
 */
function withPath<T>(path: Buffer, isDir: boolean, fn: (p: string) => T): T {
  if (isUtf8(path)) return fn(path.toString('utf8'));
  const slash = path.lastIndexOf(0x2f);
  const name = path.subarray(slash + 1);
  let dir: Buffer;
  let rest: string;
  if (slash >= 0 && isUtf8(name)) {
    dir = slash === 0 ? Buffer.from('/') : path.subarray(0, slash);
    rest = name.toString('utf8');
  } else if (isDir) {
    dir = path;
    rest = '.';
  } else {
    throw new UnnameableError();
  }
  const fd = openSync(dir, O_PATH | constants.O_DIRECTORY | (rest === '.' ? constants.O_NOFOLLOW : 0));
  try {
    return fn(`/proc/self/fd/${fd}/${rest}`);
  } finally {
    closeSync(fd);
  }
}

/** What reading one item's attributes gave: the attributes (absent when none) and any problems. */
export interface XattrRead {
  attrs?: ExtendedAttribute[];
  problems?: string[];
}

/** Reads extended attributes for one backup; remembers file systems without support. */
export class XattrReader {
  private readonly noSupport = new Set<bigint>();

  /**
   * The attributes of the item at `path` (raw bytes) on device `dev`; never throws. Synchronous calls (a
   * listing costs less than a thread-pool round trip): the backup walk makes them on its folder worker.
   */
  read(path: Buffer, type: NodeType, dev: bigint): XattrRead {
    const x = xattrLib();
    if (!x || this.noSupport.has(dev)) return {};
    try {
      return withPath(path, type === 'dir', (p) => this.readAt(x, p, dev));
    } catch (e) {
      if (e instanceof UnnameableError) return {};
      return { problems: [`extended attributes not read: ${errorMessage(e)}`] };
    }
  }

  private readAt(x: XattrLib, p: string, dev: bigint): XattrRead {
    let names: string[];
    try {
      names = x.listAttributesSync(p);
    } catch (e) {
      if (!unsupported(e)) throw e;
      this.noSupport.add(dev);
      return {};
    }
    if (names.length === 0) return {};
    const attrs: ExtendedAttribute[] = [];
    const problems: string[] = [];
    for (const name of names) {
      try {
        // null: removed since the listing.
        const value = x.getAttributeSync(p, name);
        if (value) attrs.push({ name, value });
      } catch (e) {
        if (errnoOf(e) !== ENODATA && !unsupported(e))
          problems.push(`cannot read extended attribute ${name}: ${errorMessage(e)}`);
      }
    }
    const r: XattrRead = {};
    if (attrs.length) r.attrs = attrs;
    if (problems.length) r.problems = problems;
    return r;
  }
}

/**
 * Sets a restored item's extended attributes, in the node's order. With `removeOthers` (a folder that
 * existed before) attributes not in the node are removed, as restic does. Returns the problems (empty when
 * all went well); never throws.
 */
export function writeXattrs(
  path: Buffer,
  attrs: readonly ExtendedAttribute[] | undefined,
  isDir: boolean,
  removeOthers = false,
): string[] {
  if (!attrs?.length && !removeOthers) return [];
  const x = xattrLib();
  if (!x) return attrs?.length ? [`extended attributes not restored: ${libError}`] : [];
  const problems: string[] = [];
  try {
    withPath(path, isDir, (p) => {
      for (const a of attrs ?? []) {
        try {
          x.setAttributeSync(p, a.name, a.value);
        } catch (e) {
          problems.push(`cannot set extended attribute ${a.name}: ${errorMessage(e)}`);
        }
      }
      if (!removeOthers) return;
      const keep = new Set((attrs ?? []).map((a) => a.name));
      let present: string[];
      try {
        present = x.listAttributesSync(p);
      } catch (e) {
        if (!unsupported(e)) problems.push(`cannot list extended attributes: ${errorMessage(e)}`);
        return;
      }
      for (const name of present) {
        if (keep.has(name)) continue;
        try {
          x.removeAttributeSync(p, name);
        } catch (e) {
          problems.push(`cannot remove extended attribute ${name}: ${errorMessage(e)}`);
        }
      }
    });
  } catch (e) {
    problems.push(`extended attributes not restored: ${errorMessage(e)}`);
  }
  return problems;
}
