/**
 * `tag`: changes the tags of snapshots as restic does. A changed snapshot is saved as a new file (its
 * `original` keeps the id it had before its first change) and only then is the old file deleted. The caller
 * holds an exclusive lock.
 */
import type { Repository } from './repository.js';
import { encodeSnapshot } from './snapshot.js';
import type { StoredSnapshot } from './snapshot.js';

/** What to do to the tags: `set` replaces them (`['']` clears them), else `add` then `remove`. */
export interface TagChange {
  set?: string[];
  add?: string[];
  remove?: string[];
}

/** One snapshot whose tags changed. */
export interface TagResult {
  oldId: string;
  newId: string;
  tags: string[];
}

/** The snapshot's tags after the change, or null when they stay as they are. */
export function newTags(current: readonly string[], c: TagChange): string[] | null {
  if (c.set?.length) return c.set.length === 1 && c.set[0] === '' ? [] : [...c.set];
  let tags = [...current];
  let changed = false;
  for (const t of c.add ?? []) {
    if (tags.includes(t)) continue;
    tags.push(t);
    changed = true;
  }
  for (const t of c.remove ?? []) {
    if (!tags.includes(t)) continue;
    tags = tags.filter((x) => x !== t);
    changed = true;
  }
  return changed ? tags : null;
}

/** Applies the change to each snapshot; returns those that changed. */
export async function tagSnapshots(
  repo: Repository,
  snapshots: readonly StoredSnapshot[],
  change: TagChange,
): Promise<TagResult[]> {
  const out: TagResult[] = [];
  for (const s of snapshots) {
    const tags = newTags(s.tags ?? [], change);
    if (tags === null) continue;
    const { id: oldId, ...rest } = s;
    const newId = await repo.saveUnpacked(
      'snapshot',
      encodeSnapshot({ ...rest, tags, original: s.original ?? oldId }),
    );
    await repo.backend.remove({ type: 'snapshot', name: oldId });
    out.push({ oldId, newId, tags });
  }
  return out;
}
