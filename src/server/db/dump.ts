/**
 * Dumps and restores of the whole database, for Steward's own backup (modules/dr) and `steward server restore`:
 * pg_dump's custom format on PostgreSQL (pg_restore reads it back into an empty database), and PGlite's own
 * data-folder archive on the embedded database (a new PGlite loads it into an empty folder).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

/** What went wrong in a dump or restore, with the tool's own words. */
export class DumpError extends Error {
  override readonly name = 'DumpError';
}

/** Runs a PostgreSQL client tool, failing with its stderr. */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 8000) err += d.toString('utf8');
    });
    child.on('error', (e) =>
      reject(new DumpError(`${cmd} could not be started (${e.message}): install PostgreSQL's client tools`)),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new DumpError(`${cmd} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}

/** pg_dump of the database at `url` into `file` (custom format, no owners: restorable under another role). */
export function pgDump(url: string, file: string): Promise<void> {
  return run('pg_dump', [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${file}`,
    `--dbname=${url}`,
  ]);
}

/** PGlite's archive of its data folder, taken after a checkpoint and while no query runs. */
export async function pgliteDump(instance: PGlite, file: string): Promise<void> {
  await instance.query('CHECKPOINT');
  const archive = await instance.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await archive.arrayBuffer()), { mode: 0o600 });
}

/** Refuses a restore into a database that already has Steward's tables. */
export async function assertEmptyPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const r = await client.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    if (r.rows[0]?.n !== '0')
      throw new DumpError('the database is not empty: restore into a new, empty database');
  } catch (e) {
    if (e instanceof DumpError) throw e;
    throw new DumpError(`cannot reach the database: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Restores a pg_dump file into the empty database at `url`, in one transaction (all or nothing). */
export async function pgRestore(file: string, url: string): Promise<void> {
  await assertEmptyPostgres(url);
  await run('pg_restore', [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${url}`,
    file,
  ]);
}

/** Loads a PGlite archive into `dataDir`/pglite, which must not hold a database yet. */
export async function pgliteRestore(file: string, dataDir: string): Promise<void> {
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0)
    throw new DumpError(`${dir} already holds a database: restore into a new, empty data folder`);
  try {
    const db = await PGlite.create(dir, {
      loadDataDir: new Blob([readFileSync(file)]),
      extensions: { pg_trgm },
    });
    await db.query('SELECT 1');
    await db.close();
  } catch (e) {
    // Nothing half-restored stays behind: the folder was empty.
    rmSync(dir, { recursive: true, force: true });
    throw new DumpError(`the database archive does not load: ${e instanceof Error ? e.message : String(e)}`);
  }
}
