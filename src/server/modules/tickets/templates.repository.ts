import { sql } from 'kysely';
import type { TicketType } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

const templateColumns = [
  'id',
  'name',
  'type',
  'category_id',
  'team_id',
  'priority',
  'title',
  'description',
  'fields',
  'version',
] as const;

/** A stored template. */
export type TemplateRow = NonNullable<Awaited<ReturnType<typeof findTemplate>>>;

export async function listTemplates(db: Db) {
  return db
    .selectFrom('ticket_templates')
    .select(templateColumns)
    .orderBy(sql`lower(name)`)
    .execute();
}

export async function findTemplate(db: Db, id: string) {
  return db.selectFrom('ticket_templates').select(templateColumns).where('id', '=', id).executeTakeFirst();
}

/** A template's writable columns. */
export interface TemplateWrite {
  name?: string;
  type?: TicketType;
  category_id?: string | null;
  team_id?: string | null;
  priority?: number | null;
  title?: string;
  description?: string;
  fields?: Record<string, unknown>;
}

export async function insertTemplate(db: Db, t: Required<TemplateWrite>): Promise<string> {
  const r = await db
    .insertInto('ticket_templates')
    .values({ ...t, fields: JSON.stringify(t.fields) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateTemplate(
  db: Db,
  id: string,
  version: number,
  t: TemplateWrite,
): Promise<boolean> {
  const { fields, ...rest } = t;
  const r = await db
    .updateTable('ticket_templates')
    .set({
      ...rest,
      ...(fields ? { fields: JSON.stringify(fields) } : {}),
      updated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteTemplate(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ticket_templates').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function recurrenceSelect(db: Db) {
  return db
    .selectFrom('ticket_recurrences as r')
    .innerJoin('ticket_templates as tt', 'tt.id', 'r.template_id')
    .innerJoin('users as u', 'u.id', 'r.requester_id')
    .leftJoin('tickets as lt', 'lt.id', 'r.last_ticket_id')
    .select([
      'r.id',
      'r.name',
      'r.template_id',
      'tt.name as template_name',
      'r.requester_id',
      'u.name as requester_name',
      'r.cron',
      'r.timezone',
      'r.enabled',
      'r.next_run_at',
      'r.last_run_at',
      'lt.type as last_type',
      'lt.number as last_number',
      'r.version',
    ]);
}

/** A stored schedule with the names it shows. */
export type RecurrenceRow = NonNullable<Awaited<ReturnType<typeof findRecurrence>>>;

export async function listRecurrences(db: Db) {
  return recurrenceSelect(db)
    .orderBy(sql`lower(r.name)`)
    .execute();
}

export async function findRecurrence(db: Db, id: string) {
  return recurrenceSelect(db).where('r.id', '=', id).executeTakeFirst();
}

export interface RecurrenceWrite {
  name?: string;
  template_id?: string;
  requester_id?: string;
  cron?: string;
  timezone?: string;
  enabled?: boolean;
  next_run_at?: Date;
}

export async function insertRecurrence(db: Db, r: Required<RecurrenceWrite>): Promise<string> {
  const row = await db.insertInto('ticket_recurrences').values(r).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRecurrence(
  db: Db,
  id: string,
  version: number,
  r: RecurrenceWrite,
): Promise<boolean> {
  const res = await db
    .updateTable('ticket_recurrences')
    .set({ ...r, updated_at: sql`now()`, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function deleteRecurrence(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ticket_recurrences').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Enabled schedules due at `now`: their id and the `next_run_at` read (the claim compares against it). */
export async function dueRecurrences(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('ticket_recurrences')
    .select(['id', 'next_run_at', 'cron', 'timezone'])
    .where('enabled', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/**
 * Claims one run: moves `next_run_at` on from the value read, only if nobody moved it first. Exactly one of
 * any number of processes gets the row back; the others get nothing (PostgreSQL re-checks the WHERE after
 * waiting for the winner's row lock).
 */
export async function claimRun(db: Db, id: string, seen: Date, next: Date) {
  return db
    .updateTable('ticket_recurrences')
    .set({ next_run_at: next, last_run_at: sql`now()` })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .where('next_run_at', '=', seen)
    .returning(['id', 'template_id', 'requester_id', 'name'])
    .executeTakeFirst();
}

/** Records the ticket a run opened. */
export async function setLastTicket(db: Db, id: string, ticketId: string): Promise<void> {
  await db.updateTable('ticket_recurrences').set({ last_ticket_id: ticketId }).where('id', '=', id).execute();
}
