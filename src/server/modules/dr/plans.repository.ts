/** SQL of disaster-recovery plans: the plans, their steps and the items each restores, contacts, manual order. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { DrPlansTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

/** A plan as stored, with its review date as the calendar day it is (`review_day`, YYYY-MM-DD). */
export type PlanRow = Selectable<DrPlansTable> & { review_day: string };

/** A plan's review date as text: a `date` parsed into a Date would move with the process's time zone. */
const REVIEW_DAY = sql<string>`review_due::text`.as('review_day');

/** The columns a person edits. */
export type PlanValues = Pick<
  Insertable<DrPlansTable>,
  'service_id' | 'name' | 'summary' | 'rto_minutes' | 'rpo_minutes' | 'owner_id' | 'review_due'
>;

/** A step as stored, with the items it restores. */
export interface StepRow {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  body: string;
  owner_id: string | null;
  expected_minutes: number | null;
  items: string[];
}

/** A step to store. */
export interface StepValues {
  title: string;
  body: string;
  owner_id: string | null;
  expected_minutes: number | null;
  items: string[];
}

/** A contact as stored. */
export interface ContactValues {
  name: string;
  role: string;
  phone: string;
  email: string;
  user_id: string | null;
}
export type ContactRow = ContactValues & { id: string; plan_id: string; position: number };

/** A fingerprint of a plan's scope: each item's version, and the relationships walked. */
export interface ScopeFingerprint {
  items: Record<string, number>;
  relationships: string[];
}

/** Stores a new plan, needing verification from the start (no drill has run it); returns its id. */
export async function insertPlan(db: Db, v: PlanValues, reason: string): Promise<string> {
  const row = await db
    .insertInto('dr_plans')
    .values({ ...v, needs_verification: true, verification_reason: reason, verification_since: sql`now()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One plan (locked for update with `lock`). */
export async function findPlan(db: Db, id: string, lock = false): Promise<PlanRow | undefined> {
  let q = db.selectFrom('dr_plans').selectAll().select(REVIEW_DAY).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * A page of plans by name (keyset on lower(name), id: `limit` rows after `after`), or the one named `name`
 * (case-insensitively).
 */
export async function pagePlans(
  db: Db,
  q: { after?: { name: string; id: string } | undefined; limit: number; name?: string | undefined },
): Promise<(PlanRow & { name_key: string })[]> {
  let s = db
    .selectFrom('dr_plans')
    .selectAll()
    .select(REVIEW_DAY)
    .select(sql<string>`lower(name)`.as('name_key'));
  if (q.name !== undefined) s = s.where(sql<boolean>`lower(name) = lower(${q.name})`);
  if (q.after) s = s.where(sql<boolean>`(lower(name), id) > (${q.after.name}, ${q.after.id}::uuid)`);
  return s
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(q.limit)
    .execute();
}

/**
 * Saves a person's change if the plan is still at `version`, and marks it as needing verification (a change to
 * the plan is verified by the next successful drill). False when stale.
 */
export async function updatePlan(
  db: Db,
  id: string,
  version: number,
  v: PlanValues,
  reason: string,
): Promise<boolean> {
  const r = await db
    .updateTable('dr_plans')
    .set({
      ...v,
      needs_verification: true,
      verification_reason: reason,
      verification_since: sql`CASE WHEN needs_verification THEN verification_since ELSE now() END`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Deletes a plan with its steps, contacts and order. */
export async function deletePlan(db: Db, id: string): Promise<void> {
  await db.deleteFrom('dr_plans').where('id', '=', id).execute();
}

/** Replaces a plan's steps (positions 1..n in the given order) with the items each restores. */
export async function replaceSteps(db: Db, planId: string, steps: readonly StepValues[]): Promise<void> {
  await db.deleteFrom('dr_plan_steps').where('plan_id', '=', planId).execute();
  if (steps.length === 0) return;
  const ids = await db
    .insertInto('dr_plan_steps')
    .values(
      steps.map((s, i) => ({
        plan_id: planId,
        position: i + 1,
        title: s.title,
        body: s.body,
        owner_id: s.owner_id,
        expected_minutes: s.expected_minutes,
      })),
    )
    .returning(['id', 'position'])
    .execute();
  const items = ids.flatMap((r) =>
    [...new Set(steps[r.position - 1]!.items)].map((ci) => ({ step_id: r.id, ci_id: ci })),
  );
  if (items.length > 0) await db.insertInto('dr_plan_step_items').values(items).execute();
}

/** The steps of the plans `planIds`, by plan and position. */
export async function stepsOf(db: Db, planIds: readonly string[]): Promise<StepRow[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom('dr_plan_steps as s')
    .select([
      's.id',
      's.plan_id',
      's.position',
      's.title',
      's.body',
      's.owner_id',
      's.expected_minutes',
      sql<string[]>`coalesce((SELECT array_agg(i.ci_id::text ORDER BY i.ci_id) FROM dr_plan_step_items i
        WHERE i.step_id = s.id), '{}')`.as('items'),
    ])
    .where('s.plan_id', 'in', planIds)
    .orderBy('s.plan_id')
    .orderBy('s.position')
    .execute();
}

/** Replaces a plan's contacts (positions 1..n in the given order). */
export async function replaceContacts(db: Db, planId: string, contacts: readonly ContactValues[]) {
  await db.deleteFrom('dr_plan_contacts').where('plan_id', '=', planId).execute();
  if (contacts.length > 0)
    await db
      .insertInto('dr_plan_contacts')
      .values(contacts.map((c, i) => ({ ...c, plan_id: planId, position: i + 1 })))
      .execute();
}

/** The contacts of the plans `planIds`, by plan and position. */
export async function contactsOf(db: Db, planIds: readonly string[]): Promise<ContactRow[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom('dr_plan_contacts')
    .select(['id', 'plan_id', 'position', 'name', 'role', 'phone', 'email', 'user_id'])
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('position')
    .execute();
}

/** Replaces a person's order for items of cycles (positions 1..n in the given order). */
export async function replaceOrder(db: Db, planId: string, ciIds: readonly string[]): Promise<void> {
  await db.deleteFrom('dr_plan_order').where('plan_id', '=', planId).execute();
  if (ciIds.length > 0)
    await db
      .insertInto('dr_plan_order')
      .values(ciIds.map((ci, i) => ({ plan_id: planId, ci_id: ci, position: i + 1 })))
      .execute();
}

/** A person's order for items of cycles, as item ids in order, by plan. */
export async function ordersOf(db: Db, planIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom('dr_plan_order')
    .select(['plan_id', 'ci_id'])
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('position')
    .execute();
  for (const r of rows) out.set(r.plan_id, [...(out.get(r.plan_id) ?? []), r.ci_id]);
  return out;
}

/**
 * Records a successful drill: clears "needs verification" unless the plan changed since the drill read it
 * (its version is no longer `planVersion`), and keeps the scope the drill saw. False when the plan is gone.
 */
export async function markVerified(
  db: Db,
  id: string,
  v: { drillId: string; at: Date; planVersion: number; scope: ScopeFingerprint },
): Promise<{ cleared: boolean } | undefined> {
  const row = await db
    .updateTable('dr_plans')
    .set({
      needs_verification: sql`needs_verification AND version <> ${v.planVersion}`,
      verification_reason: sql`CASE WHEN version = ${v.planVersion} THEN NULL ELSE verification_reason END`,
      verification_since: sql`CASE WHEN version = ${v.planVersion} THEN NULL ELSE verification_since END`,
      last_verified_at: v.at,
      last_drill_id: v.drillId,
      verified_scope: JSON.stringify(v.scope),
    })
    .where('id', '=', id)
    .returning('needs_verification')
    .executeTakeFirst();
  return row && { cleared: !row.needs_verification };
}

/** Plans whose review is due by `until` (a date) and not yet reminded of for that date. */
export async function reviewsDue(db: Db, until: string, limit: number): Promise<PlanRow[]> {
  return db
    .selectFrom('dr_plans')
    .selectAll()
    .select(REVIEW_DAY)
    .where('review_due', '<=', sql<Date>`${until}::date`)
    .where((eb) =>
      eb.or([eb('review_reminded_for', 'is', null), eb('review_reminded_for', '<>', eb.ref('review_due'))]),
    )
    .orderBy('review_due')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Notes that the review of `due` was reminded of; false when another runner did it first or the date moved. */
export async function markReviewReminded(db: Db, id: string, due: string): Promise<boolean> {
  const r = await db
    .updateTable('dr_plans')
    .set({ review_reminded_for: sql<Date>`${due}::date` })
    .where('id', '=', id)
    .where('review_due', '=', sql<Date>`${due}::date`)
    .where((eb) =>
      eb.or([eb('review_reminded_for', 'is', null), eb('review_reminded_for', '<>', eb.ref('review_due'))]),
    )
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
