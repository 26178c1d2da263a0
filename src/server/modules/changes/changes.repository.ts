/** SQL of changes: the changes, their items, lists, and the overlaps conflict detection asks about. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { ChangesTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type ChangeRow = Selectable<ChangesTable>;
/** The columns a save writes. */
export type ChangeValues = Omit<
  Insertable<ChangesTable>,
  | 'id'
  | 'number'
  | 'status'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'requested_by'
  | 'requested_by_label'
  | 'closed_at'
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
    .set({
      ...extra,
      status,
      ...(status === 'closed' ? { closed_at: sql<Date>`now()` } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
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

/** What a list of changes is narrowed to. */
export interface ListFilter {
  status?: ChangeRow['status'] | undefined;
  key?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  teamId?: string | undefined;
  templateId?: string | undefined;
  outcome?: NonNullable<ChangeRow['outcome']> | undefined;
  closedFrom?: string | undefined;
  closedTo?: string | undefined;
}

/**
 * A page of changes, newest first; by status, key, team, template or outcome, planned to overlap [from, to),
 * or closed in [closedFrom, closedTo).
 */
export async function listChanges(
  db: Db,
  q: ListFilter,
  after: number | undefined,
  limit: number,
): Promise<ChangeRow[]> {
  let s = db.selectFrom('changes').selectAll();
  if (q.status) s = s.where('status', '=', q.status);
  if (q.key) s = s.where('number', '=', Number(q.key.slice(4)));
  if (q.to) s = s.where('planned_start', '<', new Date(q.to));
  if (q.from) s = s.where('planned_end', '>', new Date(q.from));
  if (q.teamId) s = s.where('team_id', '=', q.teamId);
  if (q.templateId) s = s.where('template_id', '=', q.templateId);
  if (q.outcome) s = s.where('outcome', '=', q.outcome);
  if (q.closedFrom) s = s.where('closed_at', '>=', new Date(q.closedFrom));
  if (q.closedTo) s = s.where('closed_at', '<', new Date(q.closedTo));
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

/**
 * Active changes on `ciIds` (other than `self`), whatever their window: risk's "other changes" signal.
 *
 * `ciIds` is the whole impact neighbourhood (thousands of items on a dense graph). Joined plainly, PostgreSQL
 * hashes every row of change_items, the items of every change ever made; the lateral subquery with its
 * `OFFSET 0` fence (which keeps the planner from flattening it) looks each item up in change_items_ci_idx
 * instead, so the cost follows the neighbourhood, not the history (docs/BENCHMARKS.md, bench:changes).
 */
export async function activeOn(db: Db, ciIds: readonly string[], self: string | null): Promise<number> {
  if (ciIds.length === 0) return 0;
  const ids = sql.join(ciIds.map((id) => sql`${id}::uuid`));
  const r = await sql<{ n: number }>`SELECT count(DISTINCT c.id)::int AS n
    FROM unnest(ARRAY[${ids}]) AS x (id)
    CROSS JOIN LATERAL (SELECT i.change_id FROM change_items i WHERE i.ci_id = x.id OFFSET 0) i
    JOIN changes c ON c.id = i.change_id
    WHERE c.status IN (${sql.join(ACTIVE.map((s) => sql`${s}`))})
      AND c.id IS DISTINCT FROM ${self}::uuid`.execute(db);
  return r.rows[0]?.n ?? 0;
}

const ended = (outcome: string) => sql<number>`count(*) FILTER (WHERE outcome = ${outcome})::int`;

/**
 * Changes closed in [from, to) (any time when open-ended) and how each ended, per team or per template (those
 * with any).
 */
export async function successCounts(
  db: Db,
  by: 'team_id' | 'template_id',
  period: { from?: string | undefined; to?: string | undefined },
) {
  let q = db
    .selectFrom('changes')
    .select([
      `${by} as key`,
      sql<number>`count(*)::int`.as('closed'),
      ended('successful').as('successful'),
      ended('partially_successful').as('partiallySuccessful'),
      ended('failed').as('failed'),
      ended('backed_out').as('backedOut'),
    ])
    .where('status', '=', 'closed')
    .where(by, 'is not', null);
  if (period.from) q = q.where('closed_at', '>=', new Date(period.from));
  if (period.to) q = q.where('closed_at', '<', new Date(period.to));
  return q.groupBy(by).execute();
}

/** "CHG-7 Replace the core switch" for each of `ids` that exists (other modules name changes so). */
export async function changeNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('changes')
    .select(['id', 'number', 'title'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, `CHG-${r.number} ${r.title}`]));
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
