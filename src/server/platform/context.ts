import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/** A database handle usable inside or outside a transaction. */
export type Db = Kysely<DB> | Transaction<DB>;

/** What every service call gets: the database and the post-commit hooks. Built once per process. */
export interface Ctx {
  db: Kysely<DB>;
  /**
   * Runs `fn` in one transaction; after it commits, the audit sealer is woken so the new entries join the
   * hash chain. Keep transactions short: on PGlite one transaction blocks every other query.
   */
  tx<T>(fn: (db: Transaction<DB>) => Promise<T>): Promise<T>;
  /**
   * How many write transactions can make progress at once: 1 on PGlite (one connection), more on
   * PostgreSQL. Batch writers ({@link GroupCommit}) keep at most this many batches in flight.
   */
  writers: number;
  /**
   * True when this process is the database's only user (PGlite, held by a lock): what it caches from the
   * database stays exact as long as its own writes invalidate it.
   */
  exclusive: boolean;
}

/** Builds the service context for a database. `afterCommit` runs after every committed transaction. */
export function createCtx(
  db: Kysely<DB>,
  afterCommit: () => void,
  engine: 'pglite' | 'postgres' = 'postgres',
): Ctx {
  return {
    db,
    writers: engine === 'pglite' ? 1 : 2,
    exclusive: engine === 'pglite',
    async tx(fn) {
      const result = await db.transaction().execute(fn);
      afterCommit();
      return result;
    },
  };
}
