/** SQL of a change's approval levels and votes, its tasks and its links to tickets. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { ChangeApprovalsTable, ChangeTasksTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type LevelRow = Selectable<ChangeApprovalsTable>;
export type TaskRow = Selectable<ChangeTasksTable>;

/** Replaces a change's approval levels (entering authorisation again starts afresh). */
export async function replaceLevels(db: Db, changeId: string, levels: Insertable<ChangeApprovalsTable>[]) {
  await db.deleteFrom('change_approvals').where('change_id', '=', changeId).execute();
  if (levels.length) await db.insertInto('change_approvals').values(levels).execute();
}

export async function levelsOf(db: Db, changeId: string): Promise<LevelRow[]> {
  return db
    .selectFrom('change_approvals')
    .selectAll()
    .where('change_id', '=', changeId)
    .orderBy('level')
    .execute();
}

export async function votesOf(db: Db, changeId: string) {
  return db
    .selectFrom('change_votes')
    .selectAll()
    .where('change_id', '=', changeId)
    .orderBy('created_at')
    .orderBy('user_label')
    .execute();
}

/** Stores a vote; false when this person already voted on this level (the primary key decides). */
export async function insertVote(
  db: Db,
  v: {
    change_id: string;
    level: number;
    user_id: string;
    user_label: string;
    decision: 'approve' | 'reject';
    reason: string;
    cast_by_label: string | null;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('change_votes')
    .values(v)
    .onConflict((oc) => oc.columns(['change_id', 'level', 'user_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Approvals and rejections on one level. */
export async function tally(db: Db, changeId: string, level: number) {
  const r = await db
    .selectFrom('change_votes')
    .select([
      sql<number>`count(*) FILTER (WHERE decision = 'approve')::int`.as('approve'),
      sql<number>`count(*) FILTER (WHERE decision = 'reject')::int`.as('reject'),
    ])
    .where('change_id', '=', changeId)
    .where('level', '=', level)
    .executeTakeFirstOrThrow();
  return r;
}

export async function setLevelStatus(db: Db, changeId: string, level: number, status: LevelRow['status']) {
  await db
    .updateTable('change_approvals')
    .set({ status, decided_at: status === 'approved' || status === 'rejected' ? sql`now()` : null })
    .where('change_id', '=', changeId)
    .where('level', '=', level)
    .execute();
}

export async function tasksOf(db: Db, changeId: string): Promise<TaskRow[]> {
  return db
    .selectFrom('change_tasks')
    .selectAll()
    .where('change_id', '=', changeId)
    .orderBy('position')
    .execute();
}

/** Adds a task after the last one. */
export async function insertTask(db: Db, changeId: string, title: string, teamId: string | null) {
  return db
    .insertInto('change_tasks')
    .values({
      change_id: changeId,
      title,
      team_id: teamId,
      position: sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM change_tasks WHERE change_id = ${changeId})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function findTask(db: Db, changeId: string, taskId: string) {
  return db
    .selectFrom('change_tasks')
    .selectAll()
    .where('change_id', '=', changeId)
    .where('id', '=', taskId)
    .executeTakeFirst();
}

export async function setTaskDone(db: Db, taskId: string, by: string | null) {
  await db
    .updateTable('change_tasks')
    .set({ done_at: by ? sql`now()` : null, done_by: by })
    .where('id', '=', taskId)
    .execute();
}

/** Open tasks of a change (the review waits for them). */
export async function openTasks(db: Db, changeId: string): Promise<number> {
  const r = await db
    .selectFrom('change_tasks')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('change_id', '=', changeId)
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** Links a ticket; false when already linked so. */
export async function insertLink(db: Db, changeId: string, ticketId: string, kind: 'caused' | 'fixes') {
  const r = await db
    .insertInto('change_tickets')
    .values({ change_id: changeId, ticket_id: ticketId, kind })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function linksOf(db: Db, changeId: string) {
  return db.selectFrom('change_tickets').selectAll().where('change_id', '=', changeId).execute();
}
