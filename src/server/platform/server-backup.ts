/**
 * The format of Steward's own backup, shared by the job that writes it (modules/dr) and `steward server restore`
 * (server/self-restore.ts): a folder holding the database dump, the configuration and the audit checkpoints,
 * described by manifest.json (with each file's SHA-256), backed up as one snapshot tagged `steward-server`.
 * The repository's password is derived from the master key: whoever keeps the master key off the machine (as
 * the README asks) can restore Steward with nothing else.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../db/connect.js';
import type { MasterKey } from './master-key.js';

/** The tag and host of Steward's own snapshots. */
export const SERVER_BACKUP_TAG = 'steward-server';
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILES = { pglite: 'database.pglite.tar', postgres: 'database.pgdump' } as const;
export const CONFIG_FILE = 'configuration.env';
export const CHECKPOINTS_FILE = 'audit-checkpoints.jsonl';

const Manifest = z.object({
  format: z.literal(1),
  steward: z.string(),
  database: z.enum(['pglite', 'postgres']),
  createdAt: z.string(),
  /** The run that took the backup (absent in backups made before it was recorded). */
  runId: z.string().optional(),
  /** The migrations applied when the dump was taken. */
  migrations: z.array(z.string()),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
});
export type ServerBackupManifest = z.infer<typeof Manifest>;

/** The password of the repository of Steward's own backups. */
export const serverBackupPassword = (key: MasterKey): string =>
  key.derive('server-backup').toString('base64url');

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * The configuration as the environment gives it (STEWARD_*, PORT, DATABASE_URL with its password removed): the
 * restored server is configured by its own environment, this file tells the admin what the old one had.
 */
function configurationText(env: Record<string, string>): string {
  const lines = Object.keys(env)
    .sort()
    .map((k) => {
      let v = env[k] ?? '';
      if (/PASSWORD|SECRET/.test(k)) v = '(kept out of the backup)';
      if (k === 'DATABASE_URL') v = v.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
      return `${k}=${JSON.stringify(v)}`;
    });
  return `# Steward's configuration when this backup was taken\n${lines.join('\n')}\n`;
}

/** Writes the backup's files into the empty folder `dir` (the manifest last) and returns the manifest. */
export async function stageServerBackup(
  dir: string,
  database: Database,
  opts: {
    version: string;
    checkpointFile: string;
    env: Record<string, string>;
    migrations: string[];
    runId?: string;
  },
): Promise<ServerBackupManifest> {
  const names: string[] = [];
  // The checkpoints before the dump: each then names an entry the dump holds. Taken after, one written in
  // between would name an entry the restored chain lacks, and `steward audit verify` would call it truncated.
  if (existsSync(opts.checkpointFile)) {
    copyFileSync(opts.checkpointFile, join(dir, CHECKPOINTS_FILE));
    names.push(CHECKPOINTS_FILE);
  }
  await database.dumpTo(join(dir, DATABASE_FILES[database.kind]));
  names.push(DATABASE_FILES[database.kind]);
  writeFileSync(join(dir, CONFIG_FILE), configurationText(opts.env), { mode: 0o600 });
  names.push(CONFIG_FILE);
  const files = [];
  for (const name of names) {
    const path = join(dir, name);
    files.push({ name, bytes: statSync(path).size, sha256: await sha256Of(path) });
  }
  const manifest: ServerBackupManifest = {
    format: 1,
    steward: opts.version,
    database: database.kind,
    createdAt: new Date().toISOString(),
    migrations: opts.migrations,
    ...(opts.runId ? { runId: opts.runId } : {}),
    files,
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

/** Reads a restored backup folder's manifest and checks every file it names against its SHA-256. */
export async function readServerBackup(dir: string): Promise<ServerBackupManifest> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new Error(`${MANIFEST_FILE} is missing: this is not a backup of Steward`);
  const parsed = Manifest.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${MANIFEST_FILE} is not a manifest this version of Steward reads`);
  for (const f of parsed.data.files) {
    const file = join(dir, f.name);
    if (!existsSync(file)) throw new Error(`${f.name} is missing from the backup`);
    if ((await sha256Of(file)) !== f.sha256) throw new Error(`${f.name} does not match its checksum`);
  }
  return parsed.data;
}
