/**
 * Test helpers for extended attributes, through @napi-rs/xattr directly (Debian's `attr` tools may be
 * missing): set and read user attributes, also on paths that are not UTF-8 (through /proc/self/fd), and a
 * probe of whether a folder's file system takes user attributes.
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { getAttributeSync, listAttributesSync, setAttributeSync } from '@napi-rs/xattr';

/** Runs `fn` on a string path for `path`; a non-UTF-8 folder (or a UTF-8 name in one) goes through /proc/self/fd. */
function at<T>(path: Buffer, fn: (p: string) => T): T {
  if (isUtf8(path)) return fn(path.toString('utf8'));
  const slash = path.lastIndexOf(0x2f);
  const name = path.subarray(slash + 1);
  const viaParent = isUtf8(name);
  const fd = openSync(viaParent ? path.subarray(0, slash) : path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return fn(`/proc/self/fd/${fd}/${viaParent ? name.toString('utf8') : '.'}`);
  } finally {
    closeSync(fd);
  }
}

const buf = (p: string | Buffer): Buffer => (typeof p === 'string' ? Buffer.from(p) : p);

/** Sets one attribute (no symlink following). */
export function setXattr(path: string | Buffer, name: string, value: Buffer | string): void {
  at(buf(path), (p) => setAttributeSync(p, name, typeof value === 'string' ? Buffer.from(value) : value));
}

/** The attributes of one item as `name=hex` in listing order. */
export function xattrList(path: string | Buffer): string[] {
  return at(buf(path), (p) =>
    listAttributesSync(p).map((n) => `${n}=${(getAttributeSync(p, n) ?? Buffer.alloc(0)).toString('hex')}`),
  );
}

/**
 * Every item below `root` that has attributes: relative path (latin1, so non-UTF-8 names stay distinct)
 * -> sorted `name=hex` list. Sorted, because a restore may list them in another order than the source.
 */
export function xattrTree(root: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (dir: Buffer, rel: string): void => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = `${rel}/${name.toString('latin1')}`;
      const st = lstatSync(p);
      if (!st.isSymbolicLink() && (isUtf8(p) || st.isDirectory() || isUtf8(name))) {
        const list = xattrList(p);
        if (list.length) out[r] = list.sort();
      }
      if (st.isDirectory()) walk(p, r);
    }
  };
  const top = xattrList(root);
  if (top.length) out['.'] = top.sort();
  walk(Buffer.from(root), '');
  return out;
}

/** Why `dir`'s file system takes no user attributes, or undefined when it does. */
export function userXattrProblem(dir: string): string | undefined {
  const probe = join(dir, '.xattr-probe');
  try {
    writeFileSync(probe, '');
    setAttributeSync(probe, 'user.steward-probe', Buffer.from('1'));
    const v = getAttributeSync(probe, 'user.steward-probe');
    return v?.toString() === '1' ? undefined : 'user xattr did not read back';
  } catch (e) {
    return `no user xattrs on ${dir}: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    rmSync(probe, { force: true });
  }
}
