/**
 * Restores a snapshot (or chosen paths of it) into a target folder.
 * Safety: every name is checked (no `/`, NUL, empty, `.`, `..`, no duplicate in a tree) and every folder on the way is
 * created by us and checked with lstat to be a real folder, so a hostile repository cannot write outside the target.
 * Order: folders, then file contents (in parallel), then folder metadata children-first, so folder mtimes survive.
 * Metadata per item: owner, extended attributes (before chmod, which may make the item read-only), mode, times.
 * An extended attribute that cannot be set is a warning, not an error.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from './crypto.js';
import { chmodPath, lchownPath, lstatBig, lutimesPath, mkdirOne } from './fsx.js';
import type { Repository } from './repository.js';
import { linkTargetBytes, type Node } from './tree.js';
import { writeFileContents } from './restore-data.js';
import { posixMode, utimeSeconds } from './restore-whole.js';
import { RestoreSelector, type RestoreFilterOptions } from './restore-filter.js';
import { writeXattrs } from './xattr.js';
import { errorMessage } from './errors.js';

export { posixMode } from './restore-whole.js';

const run = promisify(execFile);

/** Options of {@link restoreSnapshot}. */
export interface RestoreOptions extends RestoreFilterOptions {
  /** Folder to restore into (created if missing). */
  target: string;
  /** Re-read every restored file and compare it with the snapshot's blob hashes. */
  verify?: boolean;
  /** Leave holes for all-zero blobs (default true). */
  sparse?: boolean;
  /** Set uid/gid (default: only when running as root). */
  owner?: boolean;
  /** Packs read in parallel (default 4). */
  concurrency?: number;
  /** Worker threads that decrypt and verify blobs (default: one per core; 0 = decode on this thread). */
  workers?: number;
  /**
   * What to do with an item already at its place in the target: replace it (`always`, the default, as restic
   * does), keep it (`never`), or replace it only when the snapshot's copy is newer (`if-newer`). Kept items are
   * listed in {@link RestoreResult.skipped}. Folders are always merged.
   */
  overwrite?: 'always' | 'never' | 'if-newer';
  /** Called as file contents are written: files and bytes done so far, of the totals known after the walk. */
  onProgress?: (p: RestoreProgress) => void;
  /**
   * Stops the restore: it rejects with the signal's reason soon after (at the next folder, pack range or file).
   * What was written so far stays as it is, files half-written included: a caller that may stop restores into a
   * folder of its own and moves the result into place (the agent does, src/agent/restore-place.ts).
   */
  signal?: AbortSignal;
}

/** How far a restore is. */
export interface RestoreProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** A problem with one path; restore goes on with the others. */
export interface RestoreIssue {
  path: string;
  message: string;
}

/** Outcome of a restore. */
export interface RestoreResult {
  files: number;
  dirs: number;
  links: number;
  bytes: number;
  errors: RestoreIssue[];
  /** Problems that do not make the restore fail (extended attributes that could not be set). */
  warnings: RestoreIssue[];
  /** Files whose re-read contents did not match (only with `verify`). */
  verifyErrors: RestoreIssue[];
  /** Filter patterns that matched nothing in the snapshot, as given (`--include *.foo`). */
  unmatchedFilters: string[];
  /** Items left as they were at the target ({@link RestoreOptions.overwrite}). */
  skipped: string[];
}

/** Why a name from a tree may not be used as a path component, or undefined when it is safe. */
export function unsafeName(name: Buffer): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.includes(0x2f)) return 'name contains "/"';
  if (name.includes(0)) return 'name contains NUL';
  if (name.length === 1 && name[0] === 0x2e) return 'name is "."';
  if (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e) return 'name is ".."';
  return undefined;
}

const SLASH = Buffer.from('/');
/**
 * Folders walked at once. On a cold cache each folder waits on its tree blob, a mkdir and an lstat, one after
 * the other; walking several hides that latency. Over the limit a folder is walked inline.
 */
const DIR_CONCURRENCY = 8;

interface Pending {
  /** Exact path bytes (names may be invalid UTF-8). */
  path: Buffer;
  node: Node;
}

/** Restores a snapshot tree. Never throws for a bad node: problems are collected in the result. */
export async function restoreSnapshot(
  repo: Repository,
  treeId: string,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  if (opts.workers === 0) return restoreImpl(repo, treeId, opts);
  return repo.withWorkers(() => restoreImpl(repo, treeId, opts), opts.workers);
}

async function restoreImpl(repo: Repository, treeId: string, opts: RestoreOptions): Promise<RestoreResult> {
  const res: RestoreResult = {
    files: 0,
    dirs: 0,
    links: 0,
    bytes: 0,
    errors: [],
    warnings: [],
    verifyErrors: [],
    unmatchedFilters: [],
    skipped: [],
  };
  const selector = new RestoreSelector(opts);
  const wanted = selector.includes ? await foldersOnTheWay(repo, treeId, selector) : undefined;
  const target = resolve(opts.target);
  await fs.mkdir(target, { recursive: true });
  const owner = opts.owner ?? process.getuid?.() === 0;
  const sparse = opts.sparse ?? true;
  // Folders to give their metadata at the end, deepest first (a parent made read-only or unsearchable first
  // would lock its children away from a user who is not root).
  const dirMeta: (Pending & { depth: number })[] = [];
  let dirsInFlight = 0;
  const files: Pending[] = [];
  const hardlinks = new Map<string, Buffer>();
  // Links are made after the file pool has written their first name.
  const links: { path: Buffer; first: Buffer }[] = [];
  const fail = (path: string | Buffer, e: unknown): void => {
    res.errors.push({ path: path.toString(), message: errorMessage(e) });
  };
  // True when the item at `path` stays as it is (opts.overwrite).
  const keep = async (path: Buffer, node: Node): Promise<boolean> => {
    const mode = opts.overwrite ?? 'always';
    if (mode === 'always') return false;
    let mtimeNs: bigint;
    try {
      mtimeNs = (await lstatBig(path)).mtimeNs;
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return false;
      throw e;
    }
    // Times are set to the microsecond (utimes), so a file restored before compares equal, not older.
    return mode === 'never' || node.mtime.ns / 1000n <= mtimeNs / 1000n;
  };

  // Folders that were there before the restore: their extended attributes not in the snapshot are removed.
  const existed = new Set<string>();
  const meta = async (path: Buffer, node: Node, isLink: boolean): Promise<void> => {
    if (owner) await lchownPath(path, node.uid, node.gid);
    const isDir = node.type === 'dir';
    const removeOthers = isDir && existed.has(path.toString('latin1'));
    for (const m of writeXattrs(path, node.extendedAttributes, isDir, removeOthers))
      res.warnings.push({ path: path.toString(), message: m });
    if (!isLink) await chmodPath(path, posixMode(node.mode));
    await lutimesPath(path, utimeSeconds(node.atime.ns), utimeSeconds(node.mtime.ns));
  };

  const walk = async (treeId: string, dir: Buffer, parts: Buffer[], at: string): Promise<void> => {
    if (opts.signal?.aborted) return;
    let nodes: Node[];
    try {
      nodes = (await repo.loadTree(treeId)).nodes;
    } catch (e) {
      fail(dir, e);
      return;
    }
    const seen = new Set<string>();
    const below: Promise<void>[] = [];
    for (const node of nodes) {
      const path = Buffer.concat([dir, SLASH, node.name]);
      const shown = path.toString('utf8');
      const bad = unsafeName(node.name);
      if (bad) {
        fail(shown, new Error(`refusing to restore: ${bad}`));
        continue;
      }
      const key = node.name.toString('hex');
      if (seen.has(key)) {
        fail(shown, new Error('refusing to restore: duplicate name in tree'));
        continue;
      }
      seen.add(key);
      const p = [...parts, node.name];
      const location = `${at}/${node.name.toString('utf8')}`;
      const sel = selector.select(location, node.type === 'dir');
      // A folder that is not selected itself is made only on the way to something restored below it.
      if (!sel.selected && !(sel.descend && (!wanted || wanted.has(location)))) continue;
      try {
        await restoreNode(node, path, shown, p, location, below);
      } catch (e) {
        fail(shown, e);
      }
    }
    await Promise.all(below);
  };

  /** Restores one node; a folder's walk may go on in the background, in `below` (see DIR_CONCURRENCY). */
  const restoreNode = async (
    node: Node,
    bpath: Buffer,
    shown: string,
    parts: Buffer[],
    location: string,
    below: Promise<void>[],
  ): Promise<void> => {
    const path = bpath;
    if (node.type !== 'dir' && node.type !== 'socket' && (await keep(bpath, node))) {
      res.skipped.push(shown);
      return;
    }
    switch (node.type) {
      case 'dir': {
        try {
          await mkdirOne(bpath, 0o700);
        } catch (e) {
          if ((e as { code?: string }).code !== 'EEXIST') throw e;
          existed.add(bpath.toString('latin1'));
        }
        // Never descend into something that is not a real folder (a symlink planted earlier would lead outside).
        const st = await lstatBig(bpath);
        if (!st.isDirectory()) throw new Error('refusing to restore into a non-directory');
        res.dirs++;
        if (!node.subtree) throw new Error('dir without subtree');
        const subtree = node.subtree;
        const descend = async (): Promise<void> => {
          await walk(subtree, path, parts, location);
          dirMeta.push({ path, node, depth: parts.length });
        };
        if (dirsInFlight >= DIR_CONCURRENCY) return descend(); // inline: nested folders cannot deadlock
        dirsInFlight++;
        below.push(
          descend()
            .catch((e: unknown) => fail(shown, e))
            .finally(() => dirsInFlight--),
        );
        return;
      }
      case 'file': {
        const hlKey =
          (node.links ?? 1) > 1 && node.inode ? `${node.deviceId ?? 0n}:${node.inode}` : undefined;
        const first = hlKey ? hardlinks.get(hlKey) : undefined;
        if (first !== undefined) {
          links.push({ path: bpath, first });
          return;
        }
        if (hlKey) hardlinks.set(hlKey, path);
        files.push({ path, node });
        return;
      }
      case 'symlink':
        await fs.rm(bpath, { force: true });
        await fs.symlink(linkTargetBytes(node), bpath);
        await meta(path, node, true);
        return;
      case 'fifo':
        await fs.rm(bpath, { force: true });
        await run('mkfifo', ['--', path.toString()]);
        await meta(path, node, false);
        return;
      case 'dev':
      case 'chardev': {
        if (process.getuid?.() !== 0)
          throw new Error(`skipped ${node.type}: creating device nodes needs root`);
        const d = node.device ?? 0n;
        const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
        const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
        await fs.rm(bpath, { force: true });
        await run('mknod', [
          '--',
          path.toString(),
          node.type === 'dev' ? 'b' : 'c',
          String(major),
          String(minor),
        ]);
        await meta(path, node, false);
        return;
      }
      case 'socket':
        return; // restic does not restore sockets either
      default:
        throw new Error(`unknown node type ${JSON.stringify(node.type)} at ${shown}`);
    }
  };

  await walk(treeId, Buffer.from(target), [], '');
  opts.signal?.throwIfAborted();
  res.unmatchedFilters = selector.unmatched();

  const pool = async (
    items: Pending[],
    fn: (p: Pending) => Promise<void>,
    width = opts.concurrency ?? 4,
  ): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length && !opts.signal?.aborted) {
        const it = items[next++]!;
        try {
          await fn(it);
        } catch (e) {
          fail(it.path, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  };
  const progress: RestoreProgress = {
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((n, f) => n + (f.node.size ?? 0), 0),
  };
  opts.onProgress?.({ ...progress });
  const { written, finished } = await writeFileContents(repo, files, {
    sparse,
    progress: opts.onProgress
      ? (files, bytes) => {
          progress.filesDone += files;
          progress.bytesDone += bytes;
          opts.onProgress!({ ...progress });
        }
      : undefined,
    concurrency: Math.max(1, Math.min(opts.concurrency ?? 4, 16)),
    signal: opts.signal,
    fail,
    whole: (i) => {
      const n = files[i]!.node;
      if (n.extendedAttributes?.length) return undefined;
      return {
        path: files[i]!.path.toString('latin1'),
        mode: posixMode(n.mode),
        ...(owner ? { uid: n.uid, gid: n.gid } : {}),
        atime: utimeSeconds(n.atime.ns),
        mtime: utimeSeconds(n.mtime.ns),
      };
    },
  });
  opts.signal?.throwIfAborted();
  const done = files.filter((_, i) => written.has(i));
  res.files = done.length;
  for (const f of done) res.bytes += f.node.size ?? 0;
  // Many files at once: each metadata call is a thread-pool round trip.
  // Files restored whole already have theirs.
  const unfinished = files.filter((_, i) => written.has(i) && !finished.has(i));
  await pool(unfinished, async (f) => meta(f.path, f.node, false), 16);
  for (const l of links) {
    try {
      await fs.rm(l.path, { force: true });
      await fs.link(l.first, l.path);
      res.links++;
    } catch (e) {
      fail(l.path, e);
    }
  }
  // Deepest first; the folders of one depth at once.
  const depths = [...new Set(dirMeta.map((d) => d.depth))].sort((a, b) => b - a);
  for (const depth of depths) {
    await pool(
      dirMeta.filter((d) => d.depth === depth),
      async (d) => meta(d.path, d.node, false),
      16,
    );
  }
  opts.signal?.throwIfAborted();
  if (opts.verify) {
    await pool(files, async (f) => {
      const problem = await verifyFile(repo, f.path, f.node);
      if (problem) res.verifyErrors.push({ path: f.path.toString(), message: problem });
    });
  }
  opts.signal?.throwIfAborted();
  return res;
}

/**
 * With include patterns: the folders (snapshot paths) that are not selected themselves but hold something that
 * is, as restic creates only those. A first pass over the trees, which the restore walk then reads from the cache;
 * a tree that cannot be read here is reported by that walk.
 */
async function foldersOnTheWay(
  repo: Repository,
  treeId: string,
  selector: RestoreSelector,
  at = '',
  wanted = new Set<string>(),
): Promise<Set<string>> {
  let nodes: Node[];
  try {
    nodes = (await repo.loadTree(treeId)).nodes;
  } catch {
    return wanted;
  }
  for (const node of nodes) {
    const location = `${at}/${node.name.toString('utf8')}`;
    const sel = selector.select(location, node.type === 'dir');
    if (sel.selected) wanted.add(at);
    else if (sel.descend && node.subtree) {
      await foldersOnTheWay(repo, node.subtree, selector, location, wanted);
      if (wanted.has(location)) wanted.add(at);
    }
  }
  return wanted;
}

/** Re-reads a restored file and compares it blob by blob with the snapshot; returns the problem, or undefined when equal. */
export async function verifyFile(
  repo: Repository,
  path: string | Buffer,
  node: Node,
): Promise<string | undefined> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(path, 'r');
    let pos = 0;
    for (const id of node.content ?? []) {
      const size = repo.index.plainSize('data', id);
      if (size === undefined) return `blob ${id} not in index`;
      const buf = Buffer.alloc(size);
      const { bytesRead } = await fh.read(buf, 0, size, pos);
      if (bytesRead !== size || sha256Hex(buf) !== id) return `content differs at offset ${pos}`;
      pos += size;
    }
    const actual = (await fh.stat()).size;
    return actual === pos ? undefined : `size is ${actual}, snapshot has ${pos}`;
  } catch (e) {
    return errorMessage(e);
  } finally {
    await fh?.close();
  }
}
