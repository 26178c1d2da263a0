import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Sends a notification on `channel` (on commit when inside a transaction). */
export async function notify(db: Db, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}
