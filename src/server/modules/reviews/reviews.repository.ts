/** The access reviews' tables: campaigns and the holdings under review. Only this file writes them. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

const CAMPAIGN = [
  'id',
  'name',
  'scope',
  sql<string>`to_char(due, 'YYYY-MM-DD')`.as('due'),
  'status',
  'started_label',
  'started_at',
  'closed_label',
  'closed_at',
  'evidence_sha256',
] as const;

/** A campaign row (without its evidence). */
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

/** A new holding to review. */
export interface NewItem {
  kind: 'team' | 'role' | 'credential';
  user_id: string | null;
  team_id: string | null;
  ci_id: string | null;
  role: string | null;
  holder: string;
  holding: string;
  reviewer_ids: string[];
}

/** Inserts a campaign and its items. */
export async function insertCampaign(
  db: Db,
  c: { name: string; scope: string[]; due: string; startedBy: string | null; startedLabel: string },
  items: readonly NewItem[],
): Promise<string> {
  const { id } = await db
    .insertInto('review_campaigns')
    .values({
      name: c.name,
      scope: c.scope,
      due: sql`${c.due}::date`,
      started_by: c.startedBy,
      started_label: c.startedLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < items.length; i += 500) {
    await db
      .insertInto('review_items')
      .values(items.slice(i, i + 500).map((it) => ({ ...it, campaign_id: id })))
      .execute();
  }
  return id;
}

/** One campaign; `lock` holds its row (shared or exclusively) until the transaction ends. */
export async function findCampaign(db: Db, id: string, lock?: 'share' | 'update') {
  let q = db.selectFrom('review_campaigns').select(CAMPAIGN).where('id', '=', id);
  if (lock === 'update') q = q.forUpdate();
  if (lock === 'share') q = q.forShare();
  return q.executeTakeFirst();
}

/** Campaigns, newest first: every one, or those where `reviewer` decides something. */
export async function campaigns(db: Db, reviewer?: string) {
  let q = db.selectFrom('review_campaigns').select(CAMPAIGN);
  if (reviewer)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('review_items as i')
          .select(sql`1`.as('x'))
          .whereRef('i.campaign_id', '=', 'review_campaigns.id')
          .where(sql<boolean>`${reviewer}::uuid = ANY(i.reviewer_ids)`),
      ),
    );
  return q.orderBy('started_at', 'desc').orderBy('id').limit(500).execute();
}

/** Counts per campaign: all, confirmed, revoked, pending, and pending for `reviewer`. */
export async function counts(db: Db, ids: readonly string[], reviewer: string | null) {
  if (ids.length === 0)
    return new Map<string, Record<'total' | 'confirmed' | 'revoked' | 'pending' | 'mine', number>>();
  const rows = await db
    .selectFrom('review_items')
    .select([
      'campaign_id',
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) FILTER (WHERE decision = 'confirm'))::int`.as('confirmed'),
      sql<number>`(count(*) FILTER (WHERE decision = 'revoke'))::int`.as('revoked'),
      sql<number>`(count(*) FILTER (WHERE decision IS NULL))::int`.as('pending'),
      sql<number>`(count(*) FILTER (WHERE decision IS NULL AND ${reviewer}::uuid = ANY(reviewer_ids)))::int`.as(
        'mine',
      ),
    ])
    .where('campaign_id', 'in', ids)
    .groupBy('campaign_id')
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, r]));
}

const ITEM = [
  'id',
  'kind',
  'user_id',
  'team_id',
  'ci_id',
  'role',
  'holder',
  'holding',
  'reviewer_ids',
  'decision',
  'decided_label',
  'decided_at',
  'comment',
  'outcome',
] as const;

/** An item row. */
export type ItemRow = NonNullable<Awaited<ReturnType<typeof findItem>>>;

/** A page of a campaign's items by holder, after `after`; only `reviewer`'s, only pending ones when asked. */
export async function items(
  db: Db,
  campaignId: string,
  o: { reviewer?: string; pending?: boolean; after?: [string, string]; limit: number },
) {
  let q = db.selectFrom('review_items').select(ITEM).where('campaign_id', '=', campaignId);
  if (o.reviewer) q = q.where(sql<boolean>`${o.reviewer}::uuid = ANY(reviewer_ids)`);
  if (o.pending) q = q.where('decision', 'is', null);
  if (o.after) q = q.where(sql<boolean>`(lower(holder), id) > (${o.after[0]}, ${o.after[1]}::uuid)`);
  return q
    .orderBy(sql`lower(holder)`)
    .orderBy('id')
    .limit(o.limit)
    .execute();
}

/** Every item of a campaign, for the evidence. */
export async function allItems(db: Db, campaignId: string) {
  return db
    .selectFrom('review_items')
    .select(ITEM)
    .where('campaign_id', '=', campaignId)
    .orderBy('kind')
    .orderBy(sql`lower(holder)`)
    .orderBy('id')
    .execute();
}

/** One item of a campaign. */
export async function findItem(db: Db, campaignId: string, itemId: string) {
  return db
    .selectFrom('review_items')
    .select(ITEM)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', itemId)
    .executeTakeFirst();
}

/**
 * Records a decision if none was made yet: one statement, so of two reviewers deciding at once one wins (the
 * other waits for the row, then finds it decided). Undefined when it was already decided.
 */
export async function decide(
  db: Db,
  itemId: string,
  d: { decision: 'confirm' | 'revoke'; by: string | null; label: string; comment: string | null },
) {
  return db
    .updateTable('review_items')
    .set({
      decision: d.decision,
      decided_by: d.by,
      decided_label: d.label,
      decided_at: new Date(),
      comment: d.comment,
    })
    .where('id', '=', itemId)
    .where('decision', 'is', null)
    .returning(ITEM)
    .executeTakeFirst();
}

/** Notes what a revocation did. */
export async function setOutcome(db: Db, itemId: string, outcome: string): Promise<void> {
  await db.updateTable('review_items').set({ outcome }).where('id', '=', itemId).execute();
}

/** Closes a campaign with its evidence (the trigger freezes it from then on). */
export async function close(
  db: Db,
  id: string,
  c: { label: string; at: Date; evidence: unknown; sha256: string },
): Promise<void> {
  await db
    .updateTable('review_campaigns')
    .set({
      status: 'closed',
      closed_label: c.label,
      closed_at: c.at,
      evidence: JSON.stringify(c.evidence),
      evidence_sha256: c.sha256,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

/** The frozen evidence of a closed campaign. */
export async function evidence(db: Db, id: string) {
  return db
    .selectFrom('review_campaigns')
    .select(['evidence', 'evidence_sha256'])
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .executeTakeFirst();
}

/**
 * Open campaigns not yet reminded of on `day`, with the reviewers who still have something to decide (raw SQL:
 * the builder cannot unnest an array column in a join).
 */
export async function toRemind(db: Db, day: string) {
  const r = await sql<{ id: string; name: string; due: string; reviewers: string[] }>`
    SELECT c.id, c.name, to_char(c.due, 'YYYY-MM-DD') AS due, array_agg(DISTINCT r.id) AS reviewers
    FROM review_campaigns c
    JOIN review_items i ON i.campaign_id = c.id AND i.decision IS NULL
    CROSS JOIN LATERAL unnest(i.reviewer_ids) AS r(id)
    WHERE c.status = 'open' AND (c.reminded_on IS NULL OR c.reminded_on < ${day}::date)
    GROUP BY c.id, c.name, c.due
    ORDER BY c.due, c.id`.execute(db);
  return r.rows;
}

/** Marks a campaign reminded on `day`; false when another runner did it first. */
export async function markReminded(db: Db, id: string, day: string): Promise<boolean> {
  const r = await db
    .updateTable('review_campaigns')
    .set({ reminded_on: sql`${day}::date` })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('reminded_on', 'is', null), eb('reminded_on', '<', sql<Date>`${day}::date`)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Access reviews for compliance evidence: campaigns closed since `since`, and open ones past their due date
 * on `today` (YYYY-MM-DD), by name, newest first (at most 100 each).
 */
export async function reviewOutcomesSince(db: Db, since: Date, today: string) {
  const closed = await db
    .selectFrom('review_campaigns')
    .select(['name', 'closed_at', 'evidence_sha256'])
    .where('status', '=', 'closed')
    .where('closed_at', '>=', since)
    .orderBy('closed_at', 'desc')
    .limit(100)
    .execute();
  const overdue = await db
    .selectFrom('review_campaigns')
    .select(['name', sql<string>`to_char(due, 'YYYY-MM-DD')`.as('due')])
    .where('status', '=', 'open')
    .where(sql<boolean>`due < ${today}::date`)
    .orderBy('due')
    .limit(100)
    .execute();
  return {
    closed: closed.map((c) => ({
      name: c.name,
      closedAt: c.closed_at!.toISOString(),
      sha256: c.evidence_sha256,
    })),
    overdue,
  };
}
