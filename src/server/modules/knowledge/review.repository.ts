/** SQL of document control's approvals: who approves each kind, the reviews and their votes. */
import { type Selectable, sql } from 'kysely';
import type { KbApproversTable, KbReviewsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type ApproversRow = Selectable<KbApproversTable>;
export type ReviewRow = Selectable<KbReviewsTable>;
type Kind = ApproversRow['kind'];

export async function listApprovers(db: Db): Promise<ApproversRow[]> {
  return db.selectFrom('kb_approvers').selectAll().orderBy('kind').execute();
}

export async function findApprovers(db: Db, kind: Kind): Promise<ApproversRow> {
  return db.selectFrom('kb_approvers').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow();
}

/** Sets who approves a kind if still at `version`; false when stale. */
export async function setApprovers(
  db: Db,
  kind: Kind,
  version: number,
  v: Pick<ApproversRow, 'team_id' | 'rule' | 'count'>,
): Promise<boolean> {
  const r = await db
    .updateTable('kb_approvers')
    .set({ ...v, version: sql`version + 1`, updated_at: sql`now()` })
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertReview(db: Db, r: Omit<ReviewRow, 'status' | 'created_at' | 'decided_at'>) {
  await db.insertInto('kb_reviews').values(r).execute();
}

export async function findReview(db: Db, articleId: string, round: number): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('kb_reviews')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('round', '=', round)
    .executeTakeFirst();
}

export async function decideReview(db: Db, articleId: string, round: number, status: ReviewRow['status']) {
  await db
    .updateTable('kb_reviews')
    .set({ status, decided_at: sql`now()` })
    .where('article_id', '=', articleId)
    .where('round', '=', round)
    .where('status', '=', 'pending')
    .execute();
}

/** Stores a vote; false when this person already voted in this review (the primary key decides). */
export async function insertVote(
  db: Db,
  v: {
    article_id: string;
    round: number;
    user_id: string;
    user_name: string;
    decision: 'approve' | 'reject';
    reason: string;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('kb_votes')
    .values(v)
    .onConflict((oc) => oc.columns(['article_id', 'round', 'user_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function votesOf(db: Db, articleId: string, round: number) {
  return db
    .selectFrom('kb_votes')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('round', '=', round)
    .orderBy('created_at')
    .orderBy('user_name')
    .execute();
}

/** Approvals and rejections in one review. */
export async function tally(db: Db, articleId: string, round: number) {
  return db
    .selectFrom('kb_votes')
    .select([
      sql<number>`count(*) FILTER (WHERE decision = 'approve')::int`.as('approve'),
      sql<number>`count(*) FILTER (WHERE decision = 'reject')::int`.as('reject'),
    ])
    .where('article_id', '=', articleId)
    .where('round', '=', round)
    .executeTakeFirstOrThrow();
}
