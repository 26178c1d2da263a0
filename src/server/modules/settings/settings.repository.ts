import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** One setting row (value as stored JSON). */
export async function find(db: Db, key: string) {
  return db
    .selectFrom('settings')
    .select(['key', 'value', 'updated_at', 'version'])
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Replaces a setting's value if it is still at `version`; undefined when stale. */
export async function update(db: Db, key: string, version: number, value: unknown) {
  return db
    .updateTable('settings')
    .set({ value: JSON.stringify(value), updated_at: new Date(), version: sql`version + 1` })
    .where('key', '=', key)
    .where('version', '=', version)
    .returning(['key', 'value', 'updated_at', 'version'])
    .executeTakeFirst();
}
