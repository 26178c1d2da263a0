/**
 * The shape of the tree above the backup targets, as restic 0.14 builds it (archiver/tree.go), so that both
 * tools store the same targets under the same names and dedup each other's trees:
 * - an absolute target keeps its whole path: `/a/b` puts `a` in the root tree, `b` below it;
 * - a relative target is placed as if it started at the root, `..` dropped: `docs`, `./docs` and `docs/`
 *   become `/docs`, `../w/docs` becomes `/w/docs`; each component is read relative to the working folder;
 * - a target that is only `.` or `..` (`../..`) stands for its entries (the root tree is that folder);
 * - two targets whose first component has the same name but that start from different folders (`w` and
 *   `../w`) get distinct names, the later one suffixed `-1`, `-2`, ….
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';

/** A node of the virtual tree above the targets: /a/b and /a/c share `a`. */
export interface VDir {
  children: Map<string, VDir>;
  /** Set when this path itself is a target (everything below is backed up). */
  target: boolean;
  /** The absolute path read for this node. */
  real: string;
  /** The folder its top-level component was found in (`/`, `.`, `..`, …): restic's conflict rule. */
  base: string;
}

/** Go's filepath.Clean for slash paths: no trailing slash, `.`, `..` and doubled slashes resolved. */
function clean(p: string): string {
  const n = posix.normalize(p === '' ? '.' : p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** The components a target has in the tree (a relative one placed at the root, `..` dropped). */
function componentsOf(target: string): string[] {
  const c = isAbsolute(target) ? clean(target) : clean(`/${target}`);
  return c.split('/').filter((s) => s !== '');
}

/** The folder the target's first component lies in: `/` for an absolute one, else `.` or its leading `..`s. */
function baseOf(target: string): string {
  if (isAbsolute(target)) return '/';
  const ups = clean(target)
    .split('/')
    .filter((s) => s === '..');
  return ups.length === 0 ? '.' : ups.join('/');
}

/** restic's resolveRelativeTargets: `.`, `..` and the like are replaced by their entries (sorted). */
export async function expandRelativeTargets(targets: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of targets) {
    const c = clean(t);
    if (isAbsolute(c) || componentsOf(c).length > 0) {
      out.push(c);
      continue;
    }
    const names = (await readdir(c)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) out.push(posix.join(c, name));
  }
  return out;
}

/** Builds the virtual tree of (already expanded) targets; `/` itself marks the root as a target. */
export function buildVirtualTree(targets: string[]): VDir {
  const root: VDir = { children: new Map(), target: false, real: '/', base: '/' };
  for (const t of targets) {
    const comps = componentsOf(t);
    if (comps.length === 0) {
      root.target = true;
      continue;
    }
    const base = baseOf(t);
    const first = comps[0]!;
    let name = first;
    let top: VDir | undefined;
    for (let i = 1; ; i++) {
      const other = root.children.get(name);
      if (!other) break;
      if (other.base === base) {
        top = other;
        break;
      }
      name = `${first}-${i}`;
    }
    if (!top) {
      top = { children: new Map(), target: false, real: resolve(base, first), base };
      root.children.set(name, top);
    }
    let cur = top;
    for (const comp of comps.slice(1)) {
      let next = cur.children.get(comp);
      if (!next) {
        next = { children: new Map(), target: false, real: join(cur.real, comp), base };
        cur.children.set(comp, next);
      }
      cur = next;
    }
    cur.target = true;
  }
  return root;
}
