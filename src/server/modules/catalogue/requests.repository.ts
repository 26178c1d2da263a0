/** SQL of catalogue requests, their approval levels, votes and fulfilment tasks, and who sees which request. */
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { CatApprovalsTable, CatRequestsTable, CatTasksTable, CatVotesTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';

export type RequestRow = Selectable<CatRequestsTable>;
export type ApprovalRow = Selectable<CatApprovalsTable>;
export type VoteRow = Selectable<CatVotesTable>;
export type TaskRow = Selectable<CatTasksTable>;

const NOBODY = '00000000-0000-0000-0000-000000000000';
const myTeams = (me: string) => sql`(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${me})`;

/**
 * The one rule of who sees which request, as a WHERE clause over `cat_requests AS r` (what it hides is a 404
 * everywhere): catalogue admins every request; others what they requested, what they are an approver of, and
 * what a team of theirs has a task in.
 */
export function requestsVisibleTo(actor: Actor): RawBuilder<boolean> {
  if (allows(actor, 'catalogue:admin')) return sql<boolean>`true`;
  const me = actor.userId ?? NOBODY;
  return sql<boolean>`(r.requester_id = ${me}
    OR EXISTS (SELECT 1 FROM cat_approvals a WHERE a.request_id = r.id AND ${me} = ANY(a.voters))
    OR EXISTS (SELECT 1 FROM cat_tasks k WHERE k.request_id = r.id AND k.team_id IN ${myTeams(me)}))`;
}

/** The lists people work from: their own requests, votes waiting for them, open tasks of their teams, all. */
export function scopeOf(scope: 'mine' | 'approvals' | 'tasks' | 'all', actor: Actor): RawBuilder<boolean> {
  const me = actor.userId ?? NOBODY;
  switch (scope) {
    case 'mine':
      return sql<boolean>`r.requester_id = ${me}`;
    case 'approvals':
      return sql<boolean>`EXISTS (SELECT 1 FROM cat_approvals a WHERE a.request_id = r.id AND a.status = 'pending'
        AND ${me} = ANY(a.voters) AND NOT EXISTS (SELECT 1 FROM cat_votes v
          WHERE v.request_id = a.request_id AND v.level = a.level AND v.user_id = ${me}))`;
    case 'tasks':
      return sql<boolean>`EXISTS (SELECT 1 FROM cat_tasks k WHERE k.request_id = r.id AND k.status = 'open'
        AND k.team_id IN ${myTeams(me)})`;
    case 'all':
      return sql<boolean>`true`;
  }
}

export async function listRequests(db: Db, where: RawBuilder<boolean>, limit: number): Promise<RequestRow[]> {
  return db
    .selectFrom('cat_requests as r')
    .selectAll('r')
    .where(where)
    .orderBy('r.number', 'desc')
    .limit(limit)
    .execute();
}

export async function findRequest(
  db: Db,
  id: string,
  where: RawBuilder<boolean>,
  lock = false,
): Promise<RequestRow | undefined> {
  let q = db.selectFrom('cat_requests as r').selectAll('r').where('r.id', '=', id).where(where);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertRequest(
  db: Db,
  v: Pick<RequestRow, 'item_id' | 'item_name' | 'requester_id' | 'status' | 'level'> & {
    fields: string;
    answers: string;
  },
): Promise<RequestRow> {
  return db
    .insertInto('cat_requests')
    .values({ ...v, number: sql<number>`nextval('cat_request_number')` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setRequest(
  db: Db,
  id: string,
  v: Partial<
    Pick<RequestRow, 'status' | 'level' | 'ticket_id' | 'cancelled_by' | 'cancelled_at' | 'cancel_reason'>
  > & { answers?: string },
): Promise<void> {
  await db
    .updateTable('cat_requests')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function insertApprovals(db: Db, rows: Omit<ApprovalRow, 'decided_at'>[]): Promise<void> {
  if (rows.length) await db.insertInto('cat_approvals').values(rows).execute();
}

export async function approvalsOf(db: Db, requestIds: readonly string[]): Promise<ApprovalRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('cat_approvals')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('level')
    .execute();
}

export async function setApproval(db: Db, requestId: string, level: number, status: ApprovalRow['status']) {
  await db
    .updateTable('cat_approvals')
    .set({ status, decided_at: status === 'approved' || status === 'rejected' ? sql`now()` : null })
    .where('request_id', '=', requestId)
    .where('level', '=', level)
    .execute();
}

/** Stores a vote; false when this person already voted at this level (the primary key decides). */
export async function insertVote(db: Db, v: Omit<VoteRow, 'created_at'>): Promise<boolean> {
  const r = await db
    .insertInto('cat_votes')
    .values(v)
    .onConflict((oc) => oc.columns(['request_id', 'level', 'user_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function votesOf(db: Db, requestIds: readonly string[]): Promise<VoteRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('cat_votes')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('created_at')
    .orderBy('user_name')
    .execute();
}

/** Approvals and rejections at one level. */
export async function tally(db: Db, requestId: string, level: number) {
  return db
    .selectFrom('cat_votes')
    .select([
      sql<number>`count(*) FILTER (WHERE decision = 'approve')::int`.as('approve'),
      sql<number>`count(*) FILTER (WHERE decision = 'reject')::int`.as('reject'),
    ])
    .where('request_id', '=', requestId)
    .where('level', '=', level)
    .executeTakeFirstOrThrow();
}

export async function insertTasks(
  db: Db,
  rows: Pick<TaskRow, 'request_id' | 'position' | 'title' | 'team_id'>[],
): Promise<void> {
  if (rows.length) await db.insertInto('cat_tasks').values(rows).execute();
}

export async function tasksOf(db: Db, requestIds: readonly string[]): Promise<TaskRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('cat_tasks')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('position')
    .execute();
}

export async function openTask(db: Db, requestId: string, position: number): Promise<void> {
  await db
    .updateTable('cat_tasks')
    .set({ status: 'open', opened_at: sql`now()` })
    .where('request_id', '=', requestId)
    .where('position', '=', position)
    .where('status', '=', 'waiting')
    .execute();
}

/** Marks an open task done; false when it was not open (the row lock on the request orders callers). */
export async function finishTask(
  db: Db,
  requestId: string,
  position: number,
  by: string,
  note: string,
): Promise<boolean> {
  const r = await db
    .updateTable('cat_tasks')
    .set({ status: 'done', done_by: by, note, done_at: sql`now()` })
    .where('request_id', '=', requestId)
    .where('position', '=', position)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
