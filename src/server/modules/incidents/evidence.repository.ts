/** The evidence log of security incidents. Only this file writes it; the database refuses updates and deletes. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

const COLUMNS = [
  'id',
  'seq',
  'at',
  'actor_label',
  'note',
  'sha256',
  'attachment_id',
  'file_name',
  'prev_hash',
  'hash',
] as const;

/** An evidence row. */
export type EvidenceRow = Awaited<ReturnType<typeof entries>>[number];

/**
 * Serialises appends to one ticket's log until the transaction ends (a transaction-scoped advisory lock: the
 * first entry has no row to lock yet).
 */
export async function lockLog(db: Db, ticketId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`security_evidence:${ticketId}`}))`.execute(db);
}

/** The last entry of a ticket's log. */
export async function last(db: Db, ticketId: string) {
  return db
    .selectFrom('security_evidence')
    .select(['seq', 'hash'])
    .where('ticket_id', '=', ticketId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Appends an entry. */
export async function insert(
  db: Db,
  e: {
    ticket_id: string;
    seq: number;
    at: Date;
    actor_id: string | null;
    actor_label: string;
    note: string;
    sha256: string | null;
    attachment_id: string | null;
    file_name: string | null;
    prev_hash: string;
    hash: string;
  },
) {
  return db.insertInto('security_evidence').values(e).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** A ticket's log, oldest first. */
export async function entries(db: Db, ticketId: string) {
  return db
    .selectFrom('security_evidence')
    .select(COLUMNS)
    .where('ticket_id', '=', ticketId)
    .orderBy('seq')
    .execute();
}
