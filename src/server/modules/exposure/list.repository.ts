/** Reading exposures: the list (keyset on severity rank, due date, id) and open counts per computer. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';

const RANK = sql<number>`array_position(ARRAY['critical','high','medium','low','unknown'], e.severity)`;

/** An exposure row with its advisory. */
export interface ExposureRow {
  id: string;
  advisory_id: string;
  summary: string;
  aliases: string[];
  cvss_score: string | number | null;
  severity: string;
  computer_id: string;
  ecosystem: string;
  package: string;
  installed_version: string;
  fixed_version: string | null;
  opened_at: Date;
  due_at: Date;
  closed_at: Date | null;
  closed_version: string | null;
  rank: number;
  due_key: string;
}

/** A page of exposures after the keyset position `after` (rank, due_at, id). */
export async function listExposures(
  db: Db,
  f: { open: boolean; severity?: string | undefined; computerId?: string | undefined },
  after: readonly [number, string, string] | undefined,
  limit: number,
): Promise<ExposureRow[]> {
  return (
    await sql<ExposureRow>`SELECT e.id, e.advisory_id, a.summary, a.aliases, a.cvss_score, e.severity,
        e.computer_id, e.ecosystem, e.package, e.installed_version, e.fixed_version, e.opened_at, e.due_at,
        e.closed_at, e.closed_version, ${RANK} AS rank, ${isoMicros(sql`e.due_at`)} AS due_key
      FROM exposures e JOIN advisories a ON a.id = e.advisory_id
      WHERE ${f.open ? sql`e.closed_at IS NULL` : sql`e.closed_at IS NOT NULL`}
        ${f.severity ? sql`AND e.severity = ${f.severity}` : sql``}
        ${f.computerId ? sql`AND e.computer_id = ${f.computerId}` : sql``}
        ${after ? sql`AND (${RANK}, e.due_at, e.id) > (${after[0]}::smallint, ${after[1]}::timestamptz, ${after[2]}::uuid)` : sql``}
      ORDER BY ${RANK}, e.due_at, e.id LIMIT ${limit}`.execute(db)
  ).rows;
}

/** Open exposures per computer and severity, with how many are overdue. */
export async function openCounts(db: Db) {
  return (
    await sql<{
      computer_id: string;
      severity: string;
      n: number;
      overdue: number;
    }>`SELECT computer_id, severity,
        count(*)::int AS n, count(*) FILTER (WHERE due_at < now())::int AS overdue
      FROM exposures WHERE closed_at IS NULL GROUP BY computer_id, severity`.execute(db)
  ).rows;
}
