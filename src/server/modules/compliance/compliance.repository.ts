/** The compliance register's tables: frameworks, controls and mappings (evidence: evidence.repository.ts). */
import { sql } from 'kysely';
import type { EvidenceSource } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

const CONTROL = [
  'c.id',
  'c.framework_id',
  'f.name as framework_name',
  'c.ref',
  'c.position',
  'c.section',
  'c.title',
  'c.body',
  'c.applicable',
  'c.justification',
  'c.owner_id',
  'c.review_months',
  day('c.next_review').as('next_review'),
  'c.status',
  'c.status_since',
  'c.version',
] as const;

/** A control row, with its framework's name. */
export type ControlRow = NonNullable<Awaited<ReturnType<typeof findControl>>>;

/** One control to import: its identifier, short title, section, and the licensed full text if given. */
export interface ImportedControl {
  ref: string;
  title: string;
  section: string;
  text: string | null;
}

/**
 * Creates or updates a framework by key and its controls by identifier (titles, sections and order from the
 * file; a full text replaces the one held, none keeps it). Returns the framework's id and what was added.
 */
export async function importControls(
  db: Db,
  f: { key: string; name: string },
  controls: readonly ImportedControl[],
): Promise<{ id: string; added: number; updated: number }> {
  const fullText = controls.some((c) => c.text !== null);
  const { id } = await db
    .insertInto('compliance_frameworks')
    .values({ key: f.key, name: f.name, full_text: fullText })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        full_text: sql<boolean>`compliance_frameworks.full_text OR excluded.full_text`,
        updated_at: sql<Date>`now()`,
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  let added = 0;
  for (let i = 0; i < controls.length; i += 500) {
    const rows = await db
      .insertInto('compliance_controls')
      .values(
        controls.slice(i, i + 500).map((c, n) => ({
          framework_id: id,
          ref: c.ref,
          position: i + n,
          section: c.section,
          title: c.title,
          body: c.text,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['framework_id', 'ref']).doUpdateSet((eb) => ({
          position: eb.ref('excluded.position'),
          section: eb.ref('excluded.section'),
          title: eb.ref('excluded.title'),
          body: sql<string | null>`coalesce(excluded.body, compliance_controls.body)`,
        })),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    added += rows.filter((r) => r.inserted).length;
  }
  return { id, added, updated: controls.length - added };
}

/** Frameworks with counts of their controls by applicability and status. */
export async function frameworks(db: Db, id?: string) {
  let q = db
    .selectFrom('compliance_frameworks as f')
    .leftJoin('compliance_controls as c', 'c.framework_id', 'f.id')
    .select((eb) => [
      'f.id',
      'f.key',
      'f.name',
      'f.full_text',
      'f.updated_at',
      eb.fn.count<number>('c.id').as('controls'),
      sql<number>`count(*) FILTER (WHERE c.applicable)`.as('applicable'),
      sql<number>`count(*) FILTER (WHERE c.applicable = false)`.as('excluded'),
      sql<number>`count(c.id) FILTER (WHERE c.applicable IS NULL)`.as('undecided'),
      sql<number>`count(*) FILTER (WHERE c.status = 'green')`.as('green'),
      sql<number>`count(*) FILTER (WHERE c.status = 'red')`.as('red'),
    ])
    .groupBy('f.id')
    .orderBy('f.name');
  if (id) q = q.where('f.id', '=', id);
  return q.execute();
}

/** A framework's controls in its order; `owner` keeps only those the person owns. */
export async function controlsOf(db: Db, frameworkId: string, owner?: string) {
  let q = db
    .selectFrom('compliance_controls as c')
    .innerJoin('compliance_frameworks as f', 'f.id', 'c.framework_id')
    .select(CONTROL)
    .where('c.framework_id', '=', frameworkId);
  if (owner) q = q.where('c.owner_id', '=', owner);
  return q.orderBy('c.position').orderBy('c.ref').execute();
}

/** One control; `lock` holds its row until the transaction ends. */
export async function findControl(db: Db, id: string, lock = false) {
  let q = db
    .selectFrom('compliance_controls as c')
    .innerJoin('compliance_frameworks as f', 'f.id', 'c.framework_id')
    .select(CONTROL)
    .where('c.id', '=', id);
  if (lock) q = q.forUpdate('c');
  return q.executeTakeFirst();
}

/** Whether the person owns any control of the framework. */
export async function ownsAny(db: Db, frameworkId: string, owner: string): Promise<boolean> {
  const r = await db
    .selectFrom('compliance_controls')
    .select('id')
    .where('framework_id', '=', frameworkId)
    .where('owner_id', '=', owner)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Frameworks in which the person owns a control. */
export async function frameworksOwnedBy(db: Db, owner: string): Promise<string[]> {
  const rows = await db
    .selectFrom('compliance_controls')
    .select('framework_id')
    .distinct()
    .where('owner_id', '=', owner)
    .execute();
  return rows.map((r) => r.framework_id);
}

/** Updates a control at `version`; undefined when it moved on meanwhile. */
export async function updateControl(
  db: Db,
  id: string,
  version: number,
  set: {
    applicable: boolean | null;
    justification: string;
    owner_id: string | null;
    review_months: number | null;
    next_review: string | null;
  },
) {
  return db
    .updateTable('compliance_controls')
    .set({
      ...set,
      next_review: set.next_review === null ? null : sql<Date>`${set.next_review}::date`,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

/** Sets a control's next review date (after a review), bumping its version. */
export async function setNextReview(db: Db, id: string, next: string): Promise<void> {
  await db
    .updateTable('compliance_controls')
    .set({
      next_review: sql<Date>`${next}::date`,
      reminded_on: null,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Sets a control's evidence status (the caller holds its row lock). */
export async function setStatus(db: Db, id: string, status: 'none' | 'green' | 'red'): Promise<void> {
  await db
    .updateTable('compliance_controls')
    .set({ status, status_since: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

const MAPPING = [
  'm.id',
  'm.control_id',
  'm.source',
  'm.params',
  day('m.effective_from').as('effective_from'),
  'm.created_label',
  'm.created_at',
] as const;

/** A mapping row. */
export type MappingRow = Awaited<ReturnType<typeof mappingsOf>>[number];

/** The mappings in force of these controls. */
export async function mappingsOf(db: Db, controlIds: readonly string[]) {
  if (controlIds.length === 0) return [];
  return db
    .selectFrom('compliance_mappings as m')
    .select(MAPPING)
    .where('m.control_id', 'in', controlIds)
    .where('m.ended_at', 'is', null)
    .orderBy('m.created_at')
    .execute();
}

/** Adds a mapping; undefined when the control already has one in force for that source. */
export async function insertMapping(
  db: Db,
  m: {
    controlId: string;
    source: EvidenceSource;
    params: Record<string, number>;
    effectiveFrom: string;
    by: string;
  },
) {
  return db
    .insertInto('compliance_mappings')
    .values({
      control_id: m.controlId,
      source: m.source,
      params: JSON.stringify(m.params),
      effective_from: sql<Date>`${m.effectiveFrom}::date`,
      created_label: m.by,
    })
    .onConflict((oc) => oc.columns(['control_id', 'source']).where('ended_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Ends a mapping in force; false when there is none with that id on the control. */
export async function endMapping(db: Db, controlId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('compliance_mappings')
    .set({ ended_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('control_id', '=', controlId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Mappings in force and effective on `today`, with what a collection needs of their control. */
export async function mappingsToCollect(db: Db, today: string, controlId?: string) {
  let q = db
    .selectFrom('compliance_mappings as m')
    .select(MAPPING)
    .where('m.ended_at', 'is', null)
    .where(sql<boolean>`m.effective_from <= ${today}::date`);
  if (controlId) q = q.where('m.control_id', '=', controlId);
  return q.orderBy('m.control_id').execute();
}

/** Controls whose review is due by `until` and whose owner was not reminded on `today`. */
export async function reviewsDue(db: Db, today: string, until: string) {
  return db
    .selectFrom('compliance_controls as c')
    .innerJoin('compliance_frameworks as f', 'f.id', 'c.framework_id')
    .select([
      'c.id',
      'c.ref',
      'c.title',
      'f.name as framework_name',
      'c.owner_id',
      day('c.next_review').as('next_review'),
    ])
    .where('c.owner_id', 'is not', null)
    .where(sql<boolean>`c.next_review <= ${until}::date`)
    .where((eb) =>
      eb.or([eb('c.reminded_on', 'is', null), eb('c.reminded_on', '<', sql<Date>`${today}::date`)]),
    )
    .execute();
}

/** Notes that the control's owner was reminded on `today`; false when another runner did it first. */
export async function markReminded(db: Db, id: string, today: string): Promise<boolean> {
  const r = await db
    .updateTable('compliance_controls')
    .set({ reminded_on: sql<Date>`${today}::date` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('reminded_on', 'is', null), eb('reminded_on', '<', sql<Date>`${today}::date`)]))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Controls and frameworks by id, as people know them ("A.8.13 Backups taken and tested"), for the audit log. */
export async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const [controls, frameworks] = await Promise.all([
    db
      .selectFrom('compliance_controls')
      .select(['id', sql<string>`ref || ' ' || title`.as('name')])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('compliance_frameworks').select(['id', 'name']).where('id', 'in', ids).execute(),
  ]);
  return new Map([...controls, ...frameworks].map((r) => [r.id, r.name]));
}
