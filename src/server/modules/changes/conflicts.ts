/**
 * Conflict detection, run on every save and on every read of a change: the same item in another change at the
 * same time, an item upstream or downstream of it (the CMDB's impact analysis), a window outside an item's
 * maintenance windows, a blackout, and the implementer booked on another change at the same time.
 */
import type { ChangeConflict } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import { changeNeighbours } from '../cmdb/index.js';
import { blackoutsOver, maintenanceOf } from './admin.repository.js';
import { implementerBusy, overlapsOn } from './changes.repository.js';

/** What conflicts are looked for on. */
export interface Planned {
  id: string | null;
  itemIds: readonly string[];
  start: Date | null;
  end: Date | null;
  implementerId: string | null;
}

/** `CHG-42`. */
export const changeKey = (n: number) => `CHG-${n}`;

/** Everything the planned change collides with, as people read it. */
export async function conflictsOf(db: Db, p: Planned): Promise<ChangeConflict[]> {
  if (!p.start || !p.end) return [];
  const { start, end } = p;
  const out: ChangeConflict[] = [];
  // Everything but the related items' changes is independent of the impact walk: asked at once (on
  // PostgreSQL, over several connections; PGlite queues them on its one).
  const [around, same, windows, freeze, busy] = await Promise.all([
    p.itemIds.length ? changeNeighbours(db, p.itemIds, 2) : [],
    overlapsOn(db, p.itemIds, start, end, p.id),
    maintenanceOf(db, p.itemIds, start, end),
    blackoutsOver(db, p.itemIds, start, end),
    p.implementerId ? implementerBusy(db, p.implementerId, start, end, p.id) : [],
  ]);
  const name = new Map(around.map((i) => [i.id, i.name]));
  const mine = new Set(p.itemIds);
  const related = around.filter((i) => !mine.has(i.id));
  for (const o of same) {
    const item = name.get(o.ci_id) ?? '';
    out.push({
      kind: 'same_item',
      params: { change: changeKey(o.number), title: o.title, item },
      message: `${changeKey(o.number)} “${o.title}” also changes ${item || 'an item'} at the same time`,
      changeId: o.id,
      changeKey: changeKey(o.number),
    });
  }
  const near = await overlapsOn(
    db,
    related.map((i) => i.id),
    start,
    end,
    p.id,
  );
  const side = new Map(related.map((i) => [i.id, i.side]));
  for (const o of near) {
    const upstream = side.get(o.ci_id) === 'upstream';
    const where = upstream ? 'which this change’s items rely on' : 'which depends on this change’s items';
    const item = name.get(o.ci_id) ?? '';
    out.push({
      kind: 'related_item',
      params: {
        change: changeKey(o.number),
        title: o.title,
        item,
        side: upstream ? 'upstream' : 'downstream',
      },
      message: `${changeKey(o.number)} “${o.title}” changes ${item || 'an item'}, ${where}, at the same time`,
      changeId: o.id,
      changeKey: changeKey(o.number),
    });
  }
  for (const id of p.itemIds) {
    if (windows.kept.has(id) && !windows.inside.has(id)) {
      const item = name.get(id) ?? '';
      out.push({
        kind: 'outside_maintenance',
        params: { item },
        message: `Outside the maintenance windows of ${item || 'an item'}`,
        changeId: null,
        changeKey: null,
      });
    }
  }
  for (const b of freeze) {
    const item = b.ci_id ? (name.get(b.ci_id) ?? '') : '';
    const what = b.ci_id ? ` for ${item || 'an item'}` : '';
    const [from, to] = [b.starts_at.toISOString(), b.ends_at.toISOString()];
    out.push({
      kind: 'blackout',
      params: { name: b.name, item, start: from, end: to },
      message: `Inside the blackout “${b.name}”${what} (${from} to ${to})`,
      changeId: null,
      changeKey: null,
    });
  }
  for (const o of busy) {
    out.push({
      kind: 'implementer_booked',
      params: { change: changeKey(o.number), title: o.title },
      message: `The implementer is already booked on ${changeKey(o.number)} “${o.title}” at the same time`,
      changeId: o.id,
      changeKey: changeKey(o.number),
    });
  }
  return out;
}
