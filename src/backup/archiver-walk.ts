/**
 * The file-system walk of a backup: lstat every item (bigint: ns times, 64-bit inode/dev), read
 * names and link targets as raw bytes (non-UTF-8 names survive), apply excludes, chunk and save file
 * contents, and save one tree per directory. Several files are read at once (bounded), and blob
 * saves overlap reading (bounded), so compression and encryption run while the next bytes are read.
 * A folder's names, lstats and extended attributes come in one listing from the folder worker (dir-read.ts).
 * Every node gets its extended attributes (xattr.ts), unchanged files too, so xattr changes are seen.
 */
import { readlink } from 'node:fs/promises';
import type { ItemReporter, ItemStats } from './archiver-report.js';
import { noStats } from './archiver-report.js';
import type { ChunkPool } from './chunk-pool.js';
import { Chunker, MIN_SIZE } from './chunker.js';
import { sha256Hex } from './crypto.js';
import type { DirEntry, DirReader } from './dir-read.js';
import { childPath as join } from './dir-read.js';
import { closeFd, fstatBig, lstatBig, openFd, readFd } from './fsx.js';
import type { ExcludeFilter } from './excludes.js';
import type { FileStat } from './fsmeta.js';
import { isUtf8, nodeFromStat, nodeTypeOf, UserDb } from './fsmeta.js';
import type { BlobSaver, SaveResult } from './packer.js';
import type { BackupCounters, BackupSummary, BackupWarning } from './progress.js';
import type { Repository } from './repository.js';
import { Semaphore } from './semaphore.js';
import type { Node, NodeType, Tree } from './tree.js';
import { encodeTree, sortNodes } from './tree.js';
import type { XattrRead } from './xattr.js';
import { XattrReader } from './xattr.js';
import { errorMessage } from './errors.js';

const READ_SIZE = 1024 * 1024;
/** Files read at the same time: hides per-file latency (open/stat/close) of small files. */
const FILE_CONCURRENCY = 16;
/** Large files read at the same time: one streams while another's tail is packed; more only costs memory. */
const LARGE_FILE_CONCURRENCY = 2;
/** Blob saves in flight: bounds memory (each up to 8 MiB, ~1.5 MiB on average). */
const SAVE_CONCURRENCY = 8;
/** Directories walked at the same time. On a cold cache an unchanged re-backup waits on one folder listing
 * and one parent tree per directory; walking several hides that latency. A directory over
 * the limit is walked inline (never queued), so nested directories cannot deadlock on the limit. */
const DIR_CONCURRENCY = 4;
/** Parent subtrees of one directory loaded ahead of the walk reaching them. */
const PREFETCH_TREES = 32;

/** Shared state of one backup's walk. */
export interface WalkContext {
  repo: Repository;
  saver: BlobSaver;
  filter: ExcludeFilter;
  /** Lists folders (names, lstats, extended attributes). */
  dirs: DirReader;
  counters: BackupCounters;
  summary: BackupSummary;
  warn: (w: BackupWarning) => void;
  /** Chunks large files on worker threads when set. */
  chunkPool?: ChunkPool;
  changeIgnore: ChangeIgnore;
  /** Files larger than this many bytes are left out (restic's --exclude-larger-than). */
  excludeLargerThan?: number;
  /** Counts the files left out by `excludeLargerThan`. */
  skippedLarge?: { files: number; bytes: number };
  /** Told of every finished file and folder (restic's -vv), when set. */
  items?: ItemReporter;
}

/** restic's --ignore-inode / --ignore-ctime: what does not make a file count as changed. */
export interface ChangeIgnore {
  inode?: boolean;
  ctime?: boolean;
}

/** A path for messages and exclude patterns (invalid UTF-8 shows as U+FFFD). */
const show = (p: Buffer): string => p.toString('utf8');

/** Walks targets and saves their contents; see the module comment. */
export class Walker {
  private readonly users = new UserDb();
  private readonly xattrs = new XattrReader();
  private readonly files = new Semaphore(FILE_CONCURRENCY);
  private readonly largeFiles = new Semaphore(LARGE_FILE_CONCURRENCY);
  private readonly saves = new Semaphore(SAVE_CONCURRENCY);
  /** Parent subtrees requested ahead of their directory: loaded while the directories before them walk. */
  private readonly prefetched = new Map<string, Promise<Node[] | null>>();
  private dirsInFlight = 0;

  constructor(private readonly ctx: WalkContext) {}

  /** Saves a tree blob (dedup included); `stats` gets its bytes when it is new. */
  async saveTree(bytes: Buffer, stats?: ItemStats): Promise<SaveResult> {
    const size = bytes.length;
    const r = await this.ctx.saver.save('tree', bytes);
    if (stats && !r.known) {
      stats.metadataSize += size;
      stats.metadataSizeInRepo += r.storedSize;
    }
    return r;
  }

  /** Loads a tree of the parent snapshot; a missing or broken one only means "no parent" for that part. */
  async loadParentTree(id: string): Promise<Node[] | null> {
    const ahead = this.prefetched.get(id);
    if (ahead) {
      this.prefetched.delete(id);
      return ahead;
    }
    try {
      return (await this.ctx.repo.loadTree(id)).nodes;
    } catch {
      return null;
    }
  }

  /** Counts a finished directory node in dirs_new/changed/unmodified and reports it. */
  finishDir(path: Buffer, node: Node, prev: Node | null, started: number, stats: ItemStats): void {
    if (!prev || prev.type !== 'dir') this.ctx.summary.dirs_new++;
    else if (prev.subtree === node.subtree) this.ctx.summary.dirs_unmodified++;
    else this.ctx.summary.dirs_changed++;
    this.ctx.items?.dir(path, node, prev, started, stats);
  }

  private async lstat(path: Buffer): Promise<FileStat | null> {
    try {
      return await lstatBig(path);
    } catch (e) {
      this.ctx.warn({ item: show(path), during: 'archival', message: errorMessage(e) });
      return null;
    }
  }

  /** The node of an intermediate directory above a target (real metadata, subtree filled by the caller). */
  async statDirNode(path: Buffer, name: Buffer): Promise<Node | null> {
    const st = await this.lstat(path);
    if (!st) return null;
    const type = nodeTypeOf(st);
    if (type !== 'dir') {
      this.ctx.warn({ item: show(path), during: 'archival', message: 'not a directory' });
      return null;
    }
    const node = nodeFromStat(name, type, st, this.users);
    this.fillXattrs(path, node, type, st.dev);
    return node;
  }

  /** Reads the item's extended attributes into its node; problems are warnings, the node is kept. */
  private fillXattrs(path: Buffer, node: Node, type: NodeType, dev: bigint): void {
    this.addXattrs(path, node, this.xattrs.read(path, type, dev));
  }

  private addXattrs(path: Buffer, node: Node, r: XattrRead): void {
    if (r.attrs) node.extendedAttributes = r.attrs;
    for (const m of r.problems ?? []) this.ctx.warn({ item: show(path), during: 'archival', message: m });
  }

  /**
   * Backs up one item (any type): `listed` is its entry of its folder's listing (stat and attributes), else
   * they are read here. Returns its node, or null when skipped (excluded or unreadable).
   */
  async saveItem(
    path: Buffer,
    name: Buffer,
    prev: Node | null,
    listed?: DirEntry,
    parentDev?: bigint,
  ): Promise<Node | null> {
    // A pack that could not be stored ends the backup: start nothing more.
    this.ctx.saver.throwIfFailed();
    const started = performance.now();
    const stat = listed?.stat ?? (await this.lstat(path));
    if (!stat) return null;
    const type = nodeTypeOf(stat);
    if (!type) {
      this.ctx.warn({ item: show(path), during: 'archival', message: 'unsupported file type' });
      return null;
    }
    if (type === 'file' && this.tooLarge(stat.size)) return null;
    const node = nodeFromStat(name, type, stat, this.users);
    if (listed) this.addXattrs(path, node, listed.xattrs ?? {});
    else this.fillXattrs(path, node, type, stat.dev);
    switch (type) {
      case 'file':
        return (await this.saveFile(path, node, stat, prev, started)) ? node : null;
      case 'dir': {
        const crossing = this.ctx.filter.oneFileSystem && parentDev !== undefined && stat.dev !== parentDev;
        const prevTree =
          prev?.type === 'dir' && prev.subtree ? await this.loadParentTree(prev.subtree) : null;
        // --one-file-system keeps a mount point as an empty directory, as restic does.
        const stats = noStats();
        const sub = crossing
          ? (await this.saveTree(encodeTree([]), stats)).id
          : await this.saveDirContents(path, prevTree ? { nodes: prevTree } : null, stat.dev, stats);
        if (sub === null) return null;
        node.subtree = sub;
        this.finishDir(path, node, prev, started, stats);
        return node;
      }
      case 'symlink': {
        try {
          const target = await readlink(path, { encoding: 'buffer' });
          node.linktarget = target;
          if (!isUtf8(target)) node.linktargetRaw = target;
        } catch (e) {
          this.ctx.warn({ item: show(path), during: 'archival', message: errorMessage(e) });
          return null;
        }
        return node;
      }
      case 'dev':
      case 'chardev':
      case 'fifo':
      case 'socket':
        return node;
    }
  }

  /** True (and counted) for a file over the size cap; the scan leaves it out of the totals too. */
  private tooLarge(size: bigint): boolean {
    const cap = this.ctx.excludeLargerThan;
    if (cap === undefined || size <= BigInt(cap)) return false;
    const { skippedLarge } = this.ctx;
    if (skippedLarge) {
      skippedLarge.files++;
      skippedLarge.bytes += Number(size);
    }
    return true;
  }

  /**
   * Reads a directory, saves its entries and its tree; returns the tree id (null when unreadable). `stats` gets
   * the tree's bytes when it is new.
   */
  async saveDirContents(
    path: Buffer,
    prevTree: Tree | null,
    dev?: bigint,
    stats?: ItemStats,
  ): Promise<string | null> {
    const listing = await this.ctx.dirs.list(path);
    if ('error' in listing) {
      this.ctx.warn({ item: show(path), during: 'archival', message: listing.error });
      return null;
    }
    const prevByName = new Map<string, Node>();
    const ahead: string[] = [];
    for (const n of prevTree?.nodes ?? []) {
      prevByName.set(n.name.toString('latin1'), n);
      if (n.type === 'dir' && n.subtree && !this.prefetched.has(n.subtree) && ahead.length < PREFETCH_TREES) {
        ahead.push(n.subtree);
        this.prefetched.set(n.subtree, this.loadParentTree(n.subtree));
      }
    }
    const pending: Promise<Node | null>[] = [];
    const dirDev = dev ?? (await this.lstat(path))?.dev;
    // A folder holding a marker (--exclude-caches, --exclude-if-present) keeps only its marker(s), as restic.
    const markers = this.ctx.filter.hasMarkers ? await this.ctx.filter.markersIn(path) : [];
    // The listing has left out excluded entries (never stat'ed).
    for (const entry of listing.entries) {
      if (markers.length > 0 && !markers.every((m) => entry.name.equals(Buffer.from(m)))) continue;
      const { name, stat } = entry;
      const childPath = join(path, name);
      if (!stat) {
        this.ctx.warn({ item: show(childPath), during: 'archival', message: entry.error ?? 'cannot lstat' });
        continue;
      }
      const prev = prevByName.get(name.toString('latin1')) ?? null;
      const type = nodeTypeOf(stat);
      if (type === 'dir') {
        // Depth-first, with up to DIR_CONCURRENCY directories walking at once; files keep reading.
        if (this.dirsInFlight < DIR_CONCURRENCY) {
          this.dirsInFlight++;
          pending.push(
            this.saveItem(childPath, name, prev, entry, dirDev).finally(() => this.dirsInFlight--),
          );
        } else {
          pending.push(Promise.resolve(await this.saveItem(childPath, name, prev, entry, dirDev)));
        }
      } else {
        const slots = type === 'file' && stat.size >= BigInt(MIN_SIZE) ? this.largeFiles : this.files;
        pending.push(slots.run(() => this.saveItem(childPath, name, prev, entry, dirDev)));
      }
    }
    const nodes = (await Promise.all(pending)).filter((n): n is Node => n !== null);
    // Subtrees fetched for entries that are gone (deleted or excluded) are dropped with their directory.
    for (const id of ahead) this.prefetched.delete(id);
    return (await this.saveTree(encodeTree(sortNodes(nodes)), stats)).id;
  }

  private unchanged(node: Node, prev: Node | null): boolean {
    return (
      prev !== null &&
      prev.type === 'file' &&
      (prev.size ?? 0) === (node.size ?? 0) &&
      prev.mtime.ns === node.mtime.ns &&
      (this.ctx.changeIgnore.ctime === true || prev.ctime.ns === node.ctime.ns) &&
      (this.ctx.changeIgnore.inode === true || (prev.inode ?? 0n) === (node.inode ?? 0n)) &&
      prev.content !== null &&
      prev.content.every((id) => this.ctx.saver.has('data', id))
    );
  }

  /** Fills a file node's content; returns false when the file could not be read at all. */
  private async saveFile(
    path: Buffer,
    node: Node,
    st: FileStat,
    prev: Node | null,
    started: number,
  ): Promise<boolean> {
    const { counters, summary } = this.ctx;
    const stats = noStats();
    const size = Number(st.size);
    summary.total_files_processed++;
    summary.total_bytes_processed += size;
    if (this.unchanged(node, prev)) {
      node.content = [...prev!.content!];
      summary.files_unmodified++;
      counters.filesDone++;
      counters.bytesDone += size;
      this.ctx.items?.file(path, prev, true, started, stats);
      return true;
    }
    counters.currentFiles.add(show(path));
    try {
      node.content = await this.readContent(path, st, node, stats);
    } catch (e) {
      // A failed pack is not this file's problem alone: it loses blobs of other files too (and files
      // deduplicated against them), so it aborts the backup instead of becoming a warning.
      this.ctx.saver.throwIfFailed();
      this.ctx.warn({ item: show(path), during: 'archival', message: errorMessage(e) });
      summary.total_files_processed--;
      summary.total_bytes_processed -= size;
      return false;
    } finally {
      counters.currentFiles.delete(show(path));
    }
    if (prev && prev.type === 'file') summary.files_changed++;
    else summary.files_new++;
    counters.filesDone++;
    this.ctx.items?.file(path, prev, false, started, stats);
    return true;
  }

  private changed(
    path: Buffer,
    node: Node,
    st: FileStat,
    total: number,
    size: bigint,
    mtimeNs: bigint,
  ): void {
    if (size !== st.size || mtimeNs !== st.mtimeNs || BigInt(total) !== st.size) {
      // The node must describe what was stored (check compares size and content), and a
      // different size also makes the next backup read the file again.
      if (total) node.size = total;
      else delete node.size;
      this.ctx.warn({
        item: show(path),
        during: 'archival',
        message: 'file changed while it was read; the stored copy may be inconsistent',
      });
    }
  }

  /** Large files go to the chunk workers; the blobs are saved here, in file order. */
  private async readContentPooled(
    pool: ChunkPool,
    path: Buffer,
    st: FileStat,
    node: Node,
    stats: ItemStats,
  ): Promise<string[]> {
    const sink = this.chunkSink(stats);
    try {
      const r = await pool.chunkFile(
        path,
        this.ctx.repo.config.chunkerPolynomial,
        (id, chunk) => sink.add(id, chunk),
        (n) => (this.ctx.counters.bytesDone += n),
      );
      this.changed(path, node, st, r.total, r.sizeAfter, r.mtimeAfterNs);
    } finally {
      await sink.settle();
    }
    return sink.result();
  }

  /**
   * Saves one file's chunks in file order with at most SAVE_CONCURRENCY saves in flight. `settle` waits for
   * them; `result` returns the blob ids, or throws the first failed save.
   */
  private chunkSink(stats: ItemStats): {
    add: (id: string, chunk: Buffer) => Promise<void>;
    failed: () => boolean;
    settle: () => Promise<void>;
    result: () => string[];
  } {
    const ids: string[] = [];
    const saving: Promise<unknown>[] = [];
    let failure: Error | null = null;
    return {
      add: async (id, chunk) => {
        ids.push(id);
        // Taken first: the chunk may be handed (detached) to a seal worker.
        const size = chunk.length;
        await this.saves.acquire();
        saving.push(
          this.ctx.saver
            .save('data', chunk, id)
            .then((r) => {
              if (r.known) return;
              stats.dataSize += size;
              stats.dataSizeInRepo += r.storedSize;
            })
            .catch((e: unknown) => {
              failure ??= e instanceof Error ? e : new Error(String(e));
            })
            .finally(() => this.saves.release()),
        );
      },
      failed: () => failure !== null,
      settle: async () => void (await Promise.all(saving)),
      result: () => {
        if (failure) throw failure;
        return ids;
      },
    };
  }

  private async readContent(path: Buffer, st: FileStat, node: Node, stats: ItemStats): Promise<string[]> {
    const pool = this.ctx.chunkPool;
    if (pool && st.size >= BigInt(MIN_SIZE)) return this.readContentPooled(pool, path, st, node, stats);
    const fd = await openFd(path, 'r');
    const sink = this.chunkSink(stats);
    const chunker = new Chunker(this.ctx.repo.config.chunkerPolynomial);
    const emit = (chunk: Buffer): Promise<void> => sink.add(sha256Hex(chunk), chunk);
    let total = 0;
    try {
      // Small files get a buffer of their size (+1 to see growth): a 1 MiB buffer per small file
      // costs more than reading it.
      const want = Math.min(READ_SIZE, Number(st.size) + 1);
      for (;;) {
        const buf = Buffer.allocUnsafe(want);
        const bytesRead = await readFd(fd, buf, 0, want, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        this.ctx.counters.bytesDone += bytesRead;
        for (const c of chunker.push(buf.subarray(0, bytesRead))) await emit(c);
        if (sink.failed()) break;
      }
      const last = chunker.finish();
      if (last) await emit(last);
      if (st.size < BigInt(READ_SIZE) && BigInt(total) === st.size) {
        // A small file read in one go to exactly its size: a change would have shown as another
        // length, so the extra fstat (a fifth of the per-file cost) is skipped.
        this.changed(path, node, st, total, st.size, st.mtimeNs);
      } else {
        const after = await fstatBig(fd);
        this.changed(path, node, st, total, after.size, after.mtimeNs);
      }
    } finally {
      await closeFd(fd);
      await sink.settle();
    }
    return sink.result();
  }
}
