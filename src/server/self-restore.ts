/**
 * `steward server restore`: rebuilds Steward on a new machine from its own backup (modules/dr). It needs the
 * repository's location (and the storage's credentials in the environment, as restic takes them) and the kept
 * copy of the master key; the database, the audit checkpoints and a record of the old configuration come back.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Env, openBackend } from '../backup/backend/location.js';
import { Repository } from '../backup/repository.js';
import { restoreSnapshot } from '../backup/restore.js';
import type { Config } from './config.js';
import { recordServerRestore } from './admin.js';
import { assertEmptyPostgres, pgliteRestore, pgRestore } from './db/dump.js';
import { loadMasterKey } from './platform/master-key.js';
import {
  CHECKPOINTS_FILE,
  CONFIG_FILE,
  DATABASE_FILES,
  MANIFEST_FILE,
  readServerBackup,
  SERVER_BACKUP_TAG,
  type ServerBackupManifest,
  serverBackupPassword,
} from './platform/server-backup.js';

/** A restore that cannot go ahead, in words for the admin. */
export class ServerRestoreError extends Error {
  override readonly name = 'ServerRestoreError';
}

export interface ServerRestoreOptions {
  /** The repository, as restic writes locations. */
  repo: string;
  /** The storage's credentials (AWS_*, RESTIC_REST_*, STEWARD_SFTP_*), as restic takes them. */
  env: Env;
  /** The kept copy of the master key. */
  masterKeyFile: string;
  /** `latest` or a snapshot id (prefix). */
  snapshot: string;
}

/** One of Steward's own snapshots. */
export interface ServerSnapshot {
  id: string;
  time: string;
  bytes: number | null;
}

async function openServerRepository(o: Pick<ServerRestoreOptions, 'repo' | 'env' | 'masterKeyFile'>) {
  const key = loadMasterKey(o.masterKeyFile, { create: false });
  const backend = await openBackend(o.repo, o.env);
  try {
    return { key, repository: await Repository.open(backend, serverBackupPassword(key)) };
  } catch (e) {
    await backend.close().catch(() => undefined);
    const msg = e instanceof Error ? e.message : String(e);
    throw new ServerRestoreError(
      /password|key/i.test(msg)
        ? 'this master key does not open the repository: use the master key of the Steward that made the backup'
        : `cannot open the repository at ${o.repo}: ${msg}`,
    );
  }
}

/** Steward's snapshots in the repository, oldest first. */
export async function listServerSnapshots(
  o: Pick<ServerRestoreOptions, 'repo' | 'env' | 'masterKeyFile'>,
): Promise<ServerSnapshot[]> {
  const { repository } = await openServerRepository(o);
  try {
    const all = await repository.listSnapshots({ tags: [[SERVER_BACKUP_TAG]] });
    return all.map((s) => ({
      id: s.id,
      time: new Date(Number(s.time.ns / 1_000_000n)).toISOString(),
      bytes: s.summary?.totalBytesProcessed ?? null,
    }));
  } finally {
    await repository.backend.close().catch(() => undefined);
  }
}

/** The folder below `root` that holds the manifest. */
function findManifestDir(root: string): string | undefined {
  if (existsSync(join(root, MANIFEST_FILE))) return root;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const found = findManifestDir(join(root, e.name));
    if (found) return found;
  }
  return undefined;
}

/** Puts the master key where the restored server will read it (checked beforehand by {@link assertFreshDestination}). */
function placeMasterKey(from: string, to: string): void {
  if (existsSync(to)) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

type Destination = Pick<Config, 'dataDir' | 'databaseUrl' | 'masterKeyFile' | 'auditCheckpointFile'>;

/**
 * Refuses, before anything is written, a destination that holds a Steward already: a database in the data
 * folder or tables in the PostgreSQL database, or another master key. There is no --force: a restore never
 * deletes a database; the admin moves the old one away (or creates a new, empty database) and runs it again.
 */
async function assertFreshDestination(config: Destination, masterKeyFile: string): Promise<void> {
  if (config.databaseUrl) await assertEmptyPostgres(config.databaseUrl);
  else {
    const dir = join(config.dataDir, 'pglite');
    if (existsSync(dir) && readdirSync(dir).length > 0)
      throw new ServerRestoreError(
        `${config.dataDir} already holds a Steward database: restore into a new, empty data folder ` +
          '(move the old one away first; nothing was changed)',
      );
  }
  if (
    existsSync(config.masterKeyFile) &&
    !readFileSync(config.masterKeyFile).equals(readFileSync(masterKeyFile))
  )
    throw new ServerRestoreError(
      `${config.masterKeyFile} holds another master key: move it away first (nothing was changed)`,
    );
}

async function findServerSnapshot(repository: Repository, ref: string) {
  try {
    return await repository.findSnapshot(ref, { tags: [[SERVER_BACKUP_TAG]] });
  } catch (e) {
    throw new ServerRestoreError(
      ref === 'latest'
        ? 'there is no backup of Steward in this repository yet'
        : `no backup of Steward with id ${ref} in this repository (${e instanceof Error ? e.message : String(e)}): ` +
            '`steward server snapshots` lists them',
    );
  }
}

/**
 * Restores the snapshot into the database `config` names (an empty PostgreSQL database, or an empty data folder
 * for the embedded one), with the master key and audit checkpoints where `config` expects them.
 */
export async function restoreServer(
  o: ServerRestoreOptions,
  config: Config,
): Promise<{ snapshotId: string; time: string; manifest: ServerBackupManifest }> {
  const { repository } = await openServerRepository(o);
  const tmp = mkdtempSync(join(tmpdir(), 'steward-restore-'));
  try {
    await assertFreshDestination(config, o.masterKeyFile);
    const snap = await findServerSnapshot(repository, o.snapshot);
    const res = await restoreSnapshot(repository, snap.tree, { target: tmp, verify: true });
    const problem = res.errors[0] ?? res.verifyErrors[0];
    if (problem)
      throw new ServerRestoreError(`the snapshot does not restore: ${problem.path}: ${problem.message}`);
    const dir = findManifestDir(tmp);
    if (!dir) throw new ServerRestoreError(`snapshot ${snap.id.slice(0, 8)} is not a backup of Steward`);
    const manifest = await readServerBackup(dir).catch((e: unknown) => {
      throw new ServerRestoreError(e instanceof Error ? e.message : String(e));
    });
    const kind = config.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.database !== kind)
      throw new ServerRestoreError(
        manifest.database === 'postgres'
          ? 'this backup is of a PostgreSQL database: set DATABASE_URL to a new, empty database'
          : 'this backup is of the embedded database: unset DATABASE_URL and restore into an empty data folder',
      );
    placeMasterKey(o.masterKeyFile, config.masterKeyFile);
    const dump = join(dir, DATABASE_FILES[kind]);
    if (config.databaseUrl) await pgRestore(dump, config.databaseUrl);
    else await pgliteRestore(dump, config.dataDir);
    if (existsSync(join(dir, CHECKPOINTS_FILE)) && !existsSync(config.auditCheckpointFile)) {
      mkdirSync(dirname(config.auditCheckpointFile), { recursive: true });
      copyFileSync(join(dir, CHECKPOINTS_FILE), config.auditCheckpointFile);
    }
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(join(config.dataDir, 'restored-configuration.env'), readFileSync(join(dir, CONFIG_FILE)), {
      mode: 0o600,
    });
    const time = new Date(Number(snap.time.ns / 1_000_000n)).toISOString();
    await recordServerRestore(config, {
      runId: manifest.runId,
      snapshotId: snap.id,
      time,
      bytes: snap.summary?.totalBytesProcessed ?? 0,
      database: manifest.database,
    });
    return { snapshotId: snap.id, time, manifest };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await repository.backend.close().catch(() => undefined);
  }
}
