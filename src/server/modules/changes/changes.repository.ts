/** SQL of changes: the changes, their items, lists, and the overlaps conflict detection asks about. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { ChangesTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type ChangeRow = Selectable<ChangesTable>;
/** The columns a save writes. */
export type ChangeValues = Omit<
  Insertable<ChangesTable>,
  'id' | 'number' | 'status' | 'version' | 'created_at' | 'updated_at' | 'requested_by' | 'requested_by_label'
>;

/** Statuses in which a change holds its planned window (what collides with it). */
export const ACTIVE = ['assessment', 'authorisation', 'scheduled', 'implementing'] as const;

/** Stores a new change with the next CHG number; returns its id. */
export async function insertChange(
  db: Db,
  v: ChangeValues & { requested_by: string | null; requested_by_label: string },
): Promise<string> {
  const row = await db
    .insertInto('changes')
    .values({ ...v, number: sql<number>`nextval('change_number')::int` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One change (locked for update with `lock`). */
export async function findChange(db: Db, id: string, lock = false): Promise<ChangeRow | undefined> {
  let q = db.selectFrom('changes').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Saves a change's fields if it is still at `version`; false when stale. */
export async function updateChange(db: Db, id: string, version: number, v: Partial<ChangeValues>) {
  const r = await db
    .updateTable('changes')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Moves a change to `status` (with what the move sets), bumping its version. */
export async function setStatus(
  db: Db,
  id: string,
  status: ChangeRow['status'],
  extra: Partial<Pick<ChangeRow, 'outcome' | 'lessons' | 'rejection_reason'>> = {},
): Promise<void> {
  await db
    .updateTable('changes')
    .set({ ...extra, status, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** The items of changes, by change. */
export async function itemsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('change_items').selectAll().where('change_id', 'in', ids).execute();
  for (const r of rows) out.get(r.change_id)?.push(r.ci_id);
  return out;
}

/** Replaces a change's items. */
export async function replaceItems(db: Db, id: string, ciIds: readonly string[]): Promise<void> {
  await db.deleteFrom('change_items').where('change_id', '=', id).execute();
  if (ciIds.length === 0) return;
  await db
    .insertInto('change_items')
    .values([...new Set(ciIds)].map((ci_id) => ({ change_id: id, ci_id })))
    .execute();
}

/** A page of changes, newest first; by status, or planned to overlap [from, to). */
export async function listChanges(
  db: Db,
  q: {
    status?: ChangeRow['status'] | undefined;
    key?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
  after: number | undefined,
  limit: number,
): Promise<ChangeRow[]> {
  let s = db.selectFrom('changes').selectAll();
  if (q.status) s = s.where('status', '=', q.status);
  if (q.key) s = s.where('number', '=', Number(q.key.slice(4)));
  if (q.to) s = s.where('planned_start', '<', new Date(q.to));
  if (q.from) s = s.where('planned_end', '>', new Date(q.from));
  if (after !== undefined) s = s.where('number', '<', after);
  return s.orderBy('number', 'desc').limit(limit).execute();
}

/** Changes planned in [from, to) that are not over (for the calendar), by start. */
export async function plannedBetween(db: Db, from: Date, to: Date): Promise<ChangeRow[]> {
  return db
    .selectFrom('changes')
    .selectAll()
    .where('planned_start', '<', to)
    .where('planned_end', '>', from)
    .where('status', 'not in', ['cancelled', 'rejected'])
    .orderBy('planned_start')
    .orderBy('number')
    .limit(2000)
    .execute();
}

/** An active change other than `self` whose window overlaps [start, end) on one of `ciIds`. */
export interface Overlap {
  id: string;
  number: number;
  title: string;
  ci_id: string;
}

/** Active changes (other than `self`) working on one of `ciIds` during [start, end). */
export async function overlapsOn(
  db: Db,
  ciIds: readonly string[],
  start: Date,
  end: Date,
  self: string | null,
): Promise<Overlap[]> {
  if (ciIds.length === 0) return [];
  let q = db
    .selectFrom('change_items as i')
    .innerJoin('changes as c', 'c.id', 'i.change_id')
    .select(['c.id', 'c.number', 'c.title', 'i.ci_id'])
    .where('i.ci_id', 'in', ciIds)
    .where('c.status', 'in', ACTIVE)
    .where('c.planned_start', '<', end)
    .where('c.planned_end', '>', start);
  if (self) q = q.where('c.id', '<>', self);
  return q.orderBy('c.number').limit(200).execute();
}

/** Active changes (other than `self`) the same implementer works on during [start, end). */
export async function implementerBusy(db: Db, userId: string, start: Date, end: Date, self: string | null) {
  let q = db
    .selectFrom('changes')
    .select(['id', 'number', 'title'])
    .where('implementer_id', '=', userId)
    .where('status', 'in', ACTIVE)
    .where('planned_start', '<', end)
    .where('planned_end', '>', start);
  if (self) q = q.where('id', '<>', self);
  return q.orderBy('number').limit(50).execute();
}

/** Active changes on `ciIds` (other than `self`), whatever their window: risk's "other changes" signal. */
export async function activeOn(db: Db, ciIds: readonly string[], self: string | null): Promise<number> {
  if (ciIds.length === 0) return 0;
  let q = db
    .selectFrom('change_items as i')
    .innerJoin('changes as c', 'c.id', 'i.change_id')
    .select(sql<number>`count(DISTINCT c.id)::int`.as('n'))
    .where('i.ci_id', 'in', ciIds)
    .where('c.status', 'in', ACTIVE);
  if (self) q = q.where('c.id', '<>', self);
  return (await q.executeTakeFirstOrThrow()).n;
}

/** Closed changes and the successful among them, per team or per template (those with any). */
export async function successCounts(db: Db, by: 'team_id' | 'template_id') {
  return db
    .selectFrom('changes')
    .select([
      `${by} as key`,
      sql<number>`count(*)::int`.as('closed'),
      sql<number>`count(*) FILTER (WHERE outcome = 'successful')::int`.as('successful'),
    ])
    .where('status', '=', 'closed')
    .where(by, 'is not', null)
    .groupBy(by)
    .execute();
}

/**
 * Changes carried out since `since` (compliance evidence): implementing, in review or closed, by their planned
 * start (or last update), at most 500, newest first; each with whether it was approved: a standard change by
 * its template, any other by every approval level it has (none is not approved).
 */
export async function carriedOutSince(db: Db, since: Date) {
  const rows = await db
    .selectFrom('changes as c')
    .select((eb) => [
      'c.number',
      'c.title',
      'c.type',
      'c.status',
      'c.planned_start',
      eb
        .or([
          eb('c.type', '=', 'standard'),
          eb.and([
            eb.exists(
              eb.selectFrom('change_approvals as a').select('a.level').whereRef('a.change_id', '=', 'c.id'),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('change_approvals as a')
                  .select('a.level')
                  .whereRef('a.change_id', '=', 'c.id')
                  .where('a.status', '<>', 'approved'),
              ),
            ),
          ]),
        ])
        .as('approved'),
    ])
    .where('c.status', 'in', ['implementing', 'review', 'closed'])
    .where(sql<Date>`coalesce(c.planned_start, c.updated_at)`, '>=', since)
    .orderBy('c.number', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, planned_start: r.planned_start?.toISOString() ?? null }));
}
