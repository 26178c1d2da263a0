import { sql } from 'kysely';
import type { FieldKind } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** A field definition as stored. */
export type FieldRow = Awaited<ReturnType<typeof listFields>>[number];

const columns = [
  'id',
  'key',
  'label',
  'kind',
  'options',
  'required',
  'types',
  'category_ids',
  'requester_visible',
  'position',
  'version',
] as const;

/** Every field definition, in form order. */
export async function listFields(db: Db) {
  return db.selectFrom('ticket_fields').select(columns).orderBy('position').orderBy('key').execute();
}

/** One field definition. */
export async function findField(db: Db, id: string) {
  return db.selectFrom('ticket_fields').select(columns).where('id', '=', id).executeTakeFirst();
}

/** The stored shape of a definition's writable part. */
export interface FieldWrite {
  label?: string;
  required?: boolean;
  types?: string[];
  category_ids?: string[];
  requester_visible?: boolean;
  position?: number;
  options?: string[];
}

/** A new field (the unique key constraint refuses a second field with the same key). */
export async function insertField(
  db: Db,
  f: Required<FieldWrite> & { key: string; kind: FieldKind },
): Promise<string> {
  const r = await db
    .insertInto('ticket_fields')
    .values({ ...f, options: JSON.stringify(f.options) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a field at `version`; false when the version moved on (or it is gone). */
export async function updateField(db: Db, id: string, version: number, f: FieldWrite): Promise<boolean> {
  const { options, ...rest } = f;
  const r = await db
    .updateTable('ticket_fields')
    .set({
      ...rest,
      ...(options ? { options: JSON.stringify(options) } : {}),
      updated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Removes a field and every value of it. */
export async function deleteField(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ticket_fields').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** A ticket's stored values by field id. */
export async function valuesOf(db: Db, ticketId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('ticket_field_values')
    .select(['field_id', 'value'])
    .where('ticket_id', '=', ticketId)
    .execute();
  return new Map(rows.map((r) => [r.field_id, r.value]));
}

/** Sets values (upsert) and clears those given as null, for many tickets in one statement each. */
export async function writeValues(
  db: Db,
  rows: readonly { ticketId: string; fieldId: string; value: string | null }[],
): Promise<void> {
  const set = rows.filter((r) => r.value !== null);
  const clear = rows.filter((r) => r.value === null);
  if (set.length > 0) {
    await db
      .insertInto('ticket_field_values')
      .values(set.map((r) => ({ ticket_id: r.ticketId, field_id: r.fieldId, value: r.value! })))
      .onConflict((oc) => oc.columns(['ticket_id', 'field_id']).doUpdateSet({ value: sql`excluded.value` }))
      .execute();
  }
  for (const r of clear) {
    await db
      .deleteFrom('ticket_field_values')
      .where('ticket_id', '=', r.ticketId)
      .where('field_id', '=', r.fieldId)
      .execute();
  }
}

/** Marks a ticket changed (version and updated time) after its fields changed. */
export async function touchTicket(db: Db, ticketId: string): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ updated_at: sql`now()`, version: sql`version + 1` })
    .where('id', '=', ticketId)
    .execute();
}
