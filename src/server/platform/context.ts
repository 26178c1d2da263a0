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
}

/** Builds the service context for a database. `afterCommit` runs after every committed transaction. */
export function createCtx(db: Kysely<DB>, afterCommit: () => void): Ctx {
  return {
    db,
    async tx(fn) {
      const result = await db.transaction().execute(fn);
      afterCommit();
      return result;
    },
  };
}
