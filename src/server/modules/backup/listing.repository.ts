/** SQL of the backup lists people browse: a device's runs page by page, and every device's repository. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';
import type { RunRow } from './runs.repository.js';

/** A run with its keyset key (started_at to the microsecond). */
export type KeyedRun = RunRow & { started_key: string };

/** A device's runs, newest first, after the keyset position `after`. */
export async function runsPage(
  db: Db,
  ciId: string,
  after: readonly [startedAt: string, id: string] | undefined,
  limit: number,
): Promise<KeyedRun[]> {
  return (
    await sql<KeyedRun>`SELECT *, ${isoMicros(sql`started_at`)} AS started_key FROM backup_runs
      WHERE ci_id = ${ciId}::uuid
      ${after ? sql`AND (started_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      ORDER BY started_at DESC, id DESC LIMIT ${limit}`.execute(db)
  ).rows;
}

/** A repository with its device's and target's names. */
export interface RepositoryListRow {
  id: string;
  ci_id: string;
  device_name: string;
  target_id: string;
  target_name: string;
  target_location: string;
  folder: string;
  created_at: Date;
}

/** Every device's repository, by device name (one query). */
export async function repositoriesWithNames(db: Db): Promise<RepositoryListRow[]> {
  return (
    await sql<RepositoryListRow>`SELECT r.id, r.ci_id, c.name AS device_name, r.target_id,
        t.name AS target_name, t.location AS target_location, r.folder, r.created_at
      FROM backup_repositories r JOIN cis c ON c.id = r.ci_id JOIN backup_targets t ON t.id = r.target_id
      ORDER BY lower(c.name), c.id`.execute(db)
  ).rows;
}
