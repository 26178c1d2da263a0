/**
 * `repair snapshots`: rewrites snapshots whose trees reference data the repository no longer has, as restic
 * does. A file loses the data blobs missing from the index (its size becomes the sum of what is left), a
 * folder whose tree cannot be loaded becomes an empty folder, a node of an invalid type is dropped, and a
 * snapshot whose root tree cannot be loaded is deleted. A changed snapshot is saved as a new snapshot with
 * `original` set to the old id and the tag `repaired`; with `forget` the old one is deleted instead of tagged.
 * It trusts the index, so run `repair index` first. The caller holds an exclusive lock.
 */
import { formatRFC3339Nano } from './gojson.js';
import { BlobSaver } from './packer.js';
import { packerTarget } from './repo-adapters.js';
import type { Repository, SnapshotFilter } from './repository.js';
import { encodeSnapshot } from './snapshot.js';
import type { StoredSnapshot } from './snapshot.js';
import { encodeTree } from './tree.js';
import type { Node } from './tree.js';

/** Options of {@link repairSnapshots}. */
export interface RepairSnapshotsOptions {
  /** Only these snapshots (already resolved); default: every snapshot matching `filter`. */
  snapshots?: StoredSnapshot[];
  filter?: SnapshotFilter;
  /** Report only; write and delete nothing. */
  dryRun?: boolean;
  /** Delete each original snapshot after saving its repaired copy (then no `repaired` tag is added). */
  forget?: boolean;
  /** Findings, as restic prints them. */
  log?: (msg: string) => void;
}

/** What happened to one snapshot. */
export interface RepairedSnapshot {
  id: string;
  /** The repaired copy's id (absent for dry runs and deleted snapshots). */
  newId?: string;
  /** The root tree could not be loaded: the snapshot was (or would be) deleted. */
  removed?: boolean;
}

const VALID_TYPES = new Set(['file', 'dir', 'symlink', 'dev', 'chardev', 'fifo', 'socket']);

/** Tree rewriting with a memo, so a tree shared by many snapshots is repaired once. */
class TreeRepairer {
  private readonly done = new Map<string, string | null>();

  constructor(
    private readonly repo: Repository,
    private readonly saver: BlobSaver,
    private readonly log: (msg: string) => void,
  ) {}

  /** The repaired tree's id (the same id when nothing changed), or null when the tree cannot be loaded. */
  async rewrite(treeId: string | undefined, path: string): Promise<string | null> {
    if (treeId !== undefined && this.done.has(treeId)) return this.done.get(treeId)!;
    let nodes: Node[];
    try {
      if (treeId === undefined) throw new Error('no subtree');
      nodes = (await this.repo.loadTree(treeId)).nodes;
    } catch {
      if (path === '/') {
        this.log(`  dir "/": not readable`);
        return null;
      }
      this.log(`  dir ${JSON.stringify(path)}: replaced with empty directory`);
      return (await this.saver.save('tree', encodeTree([]))).id;
    }
    let changed = false;
    const out: Node[] = [];
    for (const n of nodes) {
      const p = `${path === '/' ? '' : path}/${n.name.toString('utf8')}`;
      const r = await this.node(n, p);
      if (r !== n) changed = true;
      if (r) out.push(r);
    }
    // An unchanged tree keeps its stored bytes (and id), whatever our encoder would make of it.
    const id = changed ? (await this.saver.save('tree', encodeTree(out))).id : treeId;
    this.done.set(treeId, id);
    return id;
  }

  /** The node itself when unchanged, a repaired copy, or null to drop it. */
  private async node(n: Node, path: string): Promise<Node | null> {
    if (!VALID_TYPES.has(n.type)) {
      this.log(`  file ${JSON.stringify(path)}: removed node with invalid type ${JSON.stringify(n.type)}`);
      return null;
    }
    if (n.type === 'dir') {
      const sub = await this.rewrite(n.subtree, path);
      return sub === n.subtree ? n : { ...n, subtree: sub ?? undefined };
    }
    if (n.type !== 'file') return n;
    const content: string[] = [];
    let size = 0;
    for (const id of n.content ?? []) {
      const s = this.repo.index.plainSize('data', id);
      if (s === undefined) continue;
      content.push(id);
      size += s;
    }
    const missing = content.length !== (n.content ?? []).length;
    if (missing) this.log(`  file ${JSON.stringify(path)}: removed missing content`);
    else if (size !== (n.size ?? 0)) this.log(`  file ${JSON.stringify(path)}: fixed incorrect size`);
    else if (n.content !== null) return n;
    return { ...n, content, size: size || undefined };
  }
}

/** Repairs the snapshots (see the module comment). */
export async function repairSnapshots(
  repo: Repository,
  opts: RepairSnapshotsOptions = {},
): Promise<RepairedSnapshot[]> {
  const log = opts.log ?? (() => undefined);
  const snaps = opts.snapshots ?? (await repo.listSnapshots(opts.filter ?? {}));
  const saver = new BlobSaver(packerTarget(repo), { dryRun: opts.dryRun });
  const trees = new TreeRepairer(repo, saver, log);
  const plan: { s: StoredSnapshot; tree: string | null }[] = [];
  for (const s of snaps) {
    log(`\nsnapshot ${s.id.slice(0, 8)} of [${s.paths.join(' ')}] at ${formatRFC3339Nano(s.time)}`);
    const tree = await trees.rewrite(s.tree, '/');
    if (tree !== s.tree) plan.push({ s, tree });
  }
  // New trees are stored and indexed before any snapshot refers to them.
  await saver.flush();
  const out: RepairedSnapshot[] = [];
  for (const { s, tree } of plan) {
    if (tree === null) {
      if (opts.dryRun) log('would delete empty snapshot');
      else {
        await repo.backend.remove({ type: 'snapshot', name: s.id });
        log(`removed empty snapshot ${s.id.slice(0, 8)}`);
      }
      out.push({ id: s.id, removed: true });
      continue;
    }
    if (opts.dryRun) {
      log(opts.forget ? 'would save new snapshot\nwould remove old snapshot' : 'would save new snapshot');
      out.push({ id: s.id });
      continue;
    }
    const { id: _old, ...rest } = s;
    const tags = opts.forget || s.tags?.includes('repaired') ? s.tags : [...(s.tags ?? []), 'repaired'];
    const newId = await repo.saveUnpacked(
      'snapshot',
      encodeSnapshot({ ...rest, tree, tags, original: s.id }),
    );
    log(`saved new snapshot ${newId.slice(0, 8)}`);
    if (opts.forget) {
      await repo.backend.remove({ type: 'snapshot', name: s.id });
      log(`removed old snapshot ${s.id.slice(0, 8)}`);
    }
    out.push({ id: s.id, newId });
  }
  return out;
}
