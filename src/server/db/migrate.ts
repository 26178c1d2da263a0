import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant: the advisory lock that serialises migrating Steward processes on one PostgreSQL. */
const MIGRATION_LOCK = 7_301_954_211;

/** One migration file. */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The migration files, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** Thrown when an applied migration's file changed: migrations are forward-only. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Applies every pending migration, forward-only, each in its own transaction, under an advisory lock so that
 * several processes starting at once migrate once. Refuses to run when an applied file was edited.
 * Returns the names applied.
 */
export async function migrate(db: Kysely<DB>, migrations = loadMigrations()): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      const row = await tx
        .selectFrom('schema_migrations')
        .select(['checksum'])
        .where('name', '=', m.name)
        .executeTakeFirst();
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new MigrationError(
            `migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await sql.raw(m.sql).execute(tx);
      await tx.insertInto('schema_migrations').values({ name: m.name, checksum: m.checksum }).execute();
      return true;
    });
    if (done) applied.push(m.name);
  }
  const known = new Set(migrations.map((m) => m.name));
  const rows = await db.selectFrom('schema_migrations').select('name').execute();
  const unknown = rows.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this Steward does not know (${unknown.join(', ')}): it is newer than this program`,
    );
  }
  return applied;
}
