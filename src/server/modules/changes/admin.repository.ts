/** SQL of what managers keep for change management: templates, approval routes, maintenance windows and blackouts. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { ChangeTemplatesTable, ChangeWindowsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type TemplateRow = Selectable<ChangeTemplatesTable>;
export type TemplateValues = Omit<
  Insertable<ChangeTemplatesTable>,
  'id' | 'version' | 'created_at' | 'updated_at'
>;
export type WindowRow = Selectable<ChangeWindowsTable>;
export type WindowValues = Omit<
  Insertable<ChangeWindowsTable>,
  'id' | 'version' | 'created_at' | 'updated_at'
>;

export async function insertTemplate(db: Db, v: TemplateValues): Promise<string> {
  return (await db.insertInto('change_templates').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findTemplate(db: Db, id: string, lock = false): Promise<TemplateRow | undefined> {
  let q = db.selectFrom('change_templates').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listTemplates(db: Db): Promise<TemplateRow[]> {
  return db
    .selectFrom('change_templates')
    .selectAll()
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

/** Saves a template if still at `version`; false when stale. */
export async function updateTemplate(db: Db, id: string, version: number, v: Partial<TemplateValues>) {
  const r = await db
    .updateTable('change_templates')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteTemplate(db: Db, id: string): Promise<void> {
  await db.deleteFrom('change_templates').where('id', '=', id).execute();
}

/** An approval route's levels as stored. */
export interface StoredLevel {
  teamId: string;
  rule: 'any' | 'all' | 'majority' | 'at_least';
  count?: number;
}

export async function findRoute(db: Db, route: string) {
  const r = await db
    .selectFrom('change_approval_routes')
    .selectAll()
    .where('route', '=', route as 'low')
    .executeTakeFirst();
  return r && { route: r.route, levels: r.levels as StoredLevel[], version: r.version };
}

export async function listRoutes(db: Db) {
  const rows = await db.selectFrom('change_approval_routes').selectAll().execute();
  return rows.map((r) => ({ route: r.route, levels: r.levels as StoredLevel[], version: r.version }));
}

/** Saves a route's levels if still at `version`; false when stale. */
export async function updateRoute(db: Db, route: string, version: number, levels: StoredLevel[]) {
  const r = await db
    .updateTable('change_approval_routes')
    .set({ levels: JSON.stringify(levels), version: sql`version + 1`, updated_at: sql`now()` })
    .where('route', '=', route as 'low')
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertWindow(db: Db, v: WindowValues): Promise<string> {
  return (await db.insertInto('change_windows').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findWindow(db: Db, id: string, lock = false): Promise<WindowRow | undefined> {
  let q = db.selectFrom('change_windows').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Windows and blackouts that have not ended more than a year ago, by start. */
export async function listWindows(db: Db): Promise<WindowRow[]> {
  return db
    .selectFrom('change_windows')
    .selectAll()
    .where('ends_at', '>', sql<Date>`now() - interval '1 year'`)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(2000)
    .execute();
}

/** Windows and blackouts overlapping [from, to), by start. */
export async function windowsBetween(db: Db, from: Date, to: Date): Promise<WindowRow[]> {
  return db
    .selectFrom('change_windows')
    .selectAll()
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(2000)
    .execute();
}

export async function updateWindow(db: Db, id: string, version: number, v: Partial<WindowValues>) {
  const r = await db
    .updateTable('change_windows')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteWindow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('change_windows').where('id', '=', id).execute();
}

/** Blackouts overlapping [start, end) that cover everything or one of `ciIds`. */
export async function blackoutsOver(db: Db, ciIds: readonly string[], start: Date, end: Date) {
  let q = db
    .selectFrom('change_windows')
    .selectAll()
    .where('kind', '=', 'blackout')
    .where('starts_at', '<', end)
    .where('ends_at', '>', start);
  q =
    ciIds.length > 0
      ? q.where((eb) => eb.or([eb('ci_id', 'is', null), eb('ci_id', 'in', ciIds)]))
      : q.where('ci_id', 'is', null);
  return q.orderBy('starts_at').execute();
}

/**
 * Of `ciIds`, those that have maintenance windows at all (`kept`), and those with one containing [start, end)
 * (`inside`): a change on an item of the first set but not the second is outside the item's windows.
 */
export async function maintenanceOf(db: Db, ciIds: readonly string[], start: Date, end: Date) {
  if (ciIds.length === 0) return { kept: new Set<string>(), inside: new Set<string>() };
  const rows = await db
    .selectFrom('change_windows')
    .select(['ci_id', sql<boolean>`bool_or(starts_at <= ${start} AND ends_at >= ${end})`.as('inside')])
    .where('kind', '=', 'maintenance')
    .where('ci_id', 'in', ciIds)
    .groupBy('ci_id')
    .execute();
  return {
    kept: new Set(rows.map((r) => r.ci_id!)),
    inside: new Set(rows.filter((r) => r.inside).map((r) => r.ci_id!)),
  };
}
