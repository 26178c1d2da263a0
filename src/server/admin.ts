import { userInfo } from 'node:os';
import type { AuditVerification, ExportVerification, User } from '../contracts/index.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/connect.js';
import { migrate } from './db/migrate.js';
import {
  appendCheckpoint,
  AuditSealer,
  type ChainKeys,
  chainKeys,
  type Checkpoint,
  takeCheckpoint,
  verifyChain,
} from './platform/audit/index.js';
import { createCtx, type Ctx } from './platform/context.js';
import { loadMasterKey } from './platform/master-key.js';
import type { Actor } from './platform/permissions.js';
import { verifyAuditExport } from './modules/compliance/index.js';
import { settleRestoredRun } from './modules/dr/index.js';
import { createUser } from './modules/users/index.js';

export { passwordWeakness } from './platform/password-policy.js';

/**
 * Operations the CLI runs directly on the database (bootstrap and integrity), never while a server holds the
 * embedded database: opening it then fails with a clear message (DataDirLockedError).
 */
async function withDatabase<T>(
  config: Config,
  fn: (db: Database, ctx: Ctx, keys: ChainKeys) => Promise<T>,
  opts: { createKey: boolean } = { createKey: true },
): Promise<T> {
  const keys = chainKeys(loadMasterKey(config.masterKeyFile, { create: opts.createKey }));
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    let failure: Error | undefined;
    const sealer = new AuditSealer(database.db, keys, (err) => {
      failure = err instanceof Error ? err : new Error('audit sealing failed', { cause: err });
    });
    const ctx = createCtx(database.db, () => void sealer.kick(), database.kind);
    const result = await fn(database, ctx, keys);
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

/**
 * Verifies the audit hash chain with the master key (never created here: a new key would verify nothing), and
 * compares it with a checkpoint file: `checkpoints` if given (it must exist), else the server's own if present.
 */
export async function verifyAudit(config: Config, checkpoints?: string): Promise<AuditVerification> {
  return withDatabase(
    config,
    async (d, _ctx, keys) => {
      await migrate(d.db);
      return verifyChain(d.db, keys, {
        checkpoints: checkpoints
          ? { file: checkpoints }
          : { file: config.auditCheckpointFile, optional: true },
      });
    },
    { createKey: false },
  );
}

/**
 * Writes a signed checkpoint of the chain as it stands to `file` (default: the server's checkpoint file), as the
 * server's `audit.checkpoint` job does; returns it, or null before the first entry was sealed.
 */
export async function checkpointAudit(config: Config, file?: string): Promise<Checkpoint | null> {
  return withDatabase(
    config,
    async (d, _ctx, keys) => {
      await migrate(d.db);
      const c = await takeCheckpoint(d.db, keys);
      if (c) await appendCheckpoint(file ?? config.auditCheckpointFile, c);
      return c;
    },
    { createKey: false },
  );
}

/**
 * After `steward server restore` loaded the database: brings it to this version's migrations, completes the run
 * that took the backup (its dump shows it still going) and records the restore in the audit trail.
 */
export async function recordServerRestore(
  config: Config,
  restored: Parameters<typeof settleRestoredRun>[2],
): Promise<void> {
  const actor: Actor = {
    userId: null,
    role: 'admin',
    label: `cli:${userInfo().username} (steward server restore)`,
    via: 'cli',
  };
  await withDatabase(
    config,
    async (d, ctx) => {
      await migrate(d.db);
      await settleRestoredRun(ctx, actor, restored);
    },
    { createKey: false },
  );
}

/**
 * Verifies a compliance audit export (a zip) with the master key: the manifest's signature and every file's
 * SHA-256. Needs no database, so it runs beside a server holding the embedded one.
 */
export async function verifyExport(config: Config, file: string): Promise<ExportVerification> {
  return verifyAuditExport(file, loadMasterKey(config.masterKeyFile, { create: false }));
}
