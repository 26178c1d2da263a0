import type { AuditVerification, User } from '../contracts/index.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { AuditSealer, verifyChain } from './platform/audit/index.js';
import { createCtx, type Ctx } from './platform/context.js';
import type { Actor } from './platform/permissions.js';
import { createUser } from './modules/users/index.js';

export { passwordWeakness } from './platform/password-policy.js';

/**
 * Operations the CLI runs directly on the database (bootstrap and integrity), never while a server holds the
 * embedded database: opening it then fails with a clear message (DataDirLockedError).
 */
async function withDatabase<T>(config: Config, fn: (db: Database, ctx: Ctx) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    let failure: Error | undefined;
    const sealer = new AuditSealer(database.db, (err) => {
      failure = err instanceof Error ? err : new Error('audit sealing failed', { cause: err });
    });
    const ctx = createCtx(database.db, () => void sealer.kick(), database.kind);
    const result = await fn(database, ctx);
    await sealer.kick();
    if (failure) throw failure;
    return result;
  } finally {
    await database.close();
  }
}

/** Applies pending migrations; returns their names. */
export async function runMigrations(config: Config): Promise<string[]> {
  return withDatabase(config, (d) => migrate(d.db));
}

/** Creates an admin account (first run, or a further admin), audited as done by the CLI's OS user. */
export async function createAdmin(
  config: Config,
  input: { email: string; name: string; password: string },
  osUser: string,
): Promise<User> {
  return withDatabase(config, async (d, ctx) => {
    await migrate(d.db);
    const actor: Actor = { userId: null, role: 'admin', label: `cli:${osUser}`, via: 'cli' };
    return createUser(ctx, actor, { ...input, role: 'admin', teamIds: [] });
  });
}

/** Verifies the audit hash chain. */
export async function verifyAudit(config: Config): Promise<AuditVerification> {
  return withDatabase(config, async (d) => {
    await migrate(d.db);
    return verifyChain(d.db);
  });
}
