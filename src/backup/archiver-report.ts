/**
 * The per-item reports of a backup (restic's `-vv` lines, `verbose_status` messages): each finished file and
 * folder with its path in the snapshot, whether it is new, unchanged or modified against the parent, how long
 * it took and what it added. A relative target is shown where it sits in the snapshot (`docs` as `/docs`).
 */
import type { ItemDone, ProgressSink } from './progress.js';
import type { Node } from './tree.js';

/** What saving an item added: new data blobs (plain and stored bytes), a folder's new tree blob. */
export interface ItemStats {
  dataSize: number;
  dataSizeInRepo: number;
  metadataSize: number;
  metadataSizeInRepo: number;
}

/** Fresh, zero {@link ItemStats}. */
export const noStats = (): ItemStats => ({
  dataSize: 0,
  dataSizeInRepo: 0,
  metadataSize: 0,
  metadataSizeInRepo: 0,
});

/** Reports finished items to a sink that wants them. */
export class ItemReporter {
  /** Real path → path in the snapshot, for targets that are not where the snapshot shows them. */
  private readonly shownAs: [string, string][] = [];

  constructor(private readonly sink: Required<Pick<ProgressSink, 'item'>>) {}

  /** The target read at `real` appears in the snapshot as `snapshotPath`. */
  mapTarget(real: string, snapshotPath: string): void {
    if (real !== snapshotPath) this.shownAs.push([real, snapshotPath]);
  }

  private snapshotPath(path: Buffer): string {
    const p = path.toString('utf8');
    for (const [real, shown] of this.shownAs)
      if (p === real || p.startsWith(`${real}/`)) return shown + p.slice(real.length);
    return p;
  }

  /** A file is done: unchanged when its content came from the parent. */
  file(path: Buffer, prev: Node | null, reused: boolean, started: number, stats: ItemStats): void {
    const action = reused ? 'unchanged' : prev?.type === 'file' ? 'modified' : 'new';
    this.emit({ item: this.snapshotPath(path), type: 'file', action, started, stats });
  }

  /** A folder is done: unchanged when its tree is the parent's. */
  dir(path: Buffer, node: Node, prev: Node | null, started: number, stats: ItemStats): void {
    const action = prev?.type !== 'dir' ? 'new' : prev.subtree === node.subtree ? 'unchanged' : 'modified';
    const shown = this.snapshotPath(path);
    this.emit({ item: shown.endsWith('/') ? shown : `${shown}/`, type: 'dir', action, started, stats });
  }

  private emit(e: {
    item: string;
    type: ItemDone['type'];
    action: ItemDone['action'];
    started: number;
    stats: ItemStats;
  }): void {
    this.sink.item({
      item: e.item,
      type: e.type,
      action: e.action,
      seconds: (performance.now() - e.started) / 1000,
      ...e.stats,
    });
  }
}
