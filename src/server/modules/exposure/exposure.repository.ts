/**
 * The exposure module's tables: advisories and their affected packages, exposures, the remediation SLA and the
 * remediation tickets. Set-based statements (unnest of arrays) so that an import of 100,000 advisories or a
 * match over a fleet is a handful of statements per batch.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import type { sourcePackagesTable } from '../cmdb/index.js';
import type { Severity } from './cvss.js';
import type { Advisory, AdvisoryPackage } from './osv.js';

const BATCH = 5_000;

/** The CMDB's source-package rows (all, or one computer's) to join. */
export type PackagesQuery = ReturnType<typeof sourcePackagesTable>;

function* chunks<T>(xs: readonly T[], n = BATCH): Generator<T[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

/**
 * Stores advisories, each replacing a stored one of the same id unless that one is newer (`modified`); returns
 * how many were stored (new or newer).
 */
export async function upsertAdvisories(db: Db, advisories: readonly Advisory[]): Promise<number> {
  let stored = 0;
  for (const batch of chunks(advisories)) {
    const ids = (
      await sql<{ id: string }>`INSERT INTO advisories (id, modified, published, summary, details, aliases,
          severity, cvss_score, cvss_vector)
        SELECT a.id, a.modified, a.published, a.summary, a.details,
          ARRAY(SELECT jsonb_array_elements_text(a.aliases)), a.severity, a.cvss_score, a.cvss_vector
        FROM unnest(${batch.map((a) => a.id)}::text[], ${batch.map((a) => a.modified)}::timestamptz[],
          ${batch.map((a) => a.published)}::timestamptz[], ${batch.map((a) => a.summary)}::text[],
          ${batch.map((a) => a.details)}::text[], ${batch.map((a) => JSON.stringify(a.aliases))}::jsonb[],
          ${batch.map((a) => a.severity)}::text[], ${batch.map((a) => a.cvssScore)}::numeric[],
          ${batch.map((a) => a.cvssVector)}::text[])
          AS a(id, modified, published, summary, details, aliases, severity, cvss_score, cvss_vector)
        ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, published = excluded.published,
          summary = excluded.summary, details = excluded.details, aliases = excluded.aliases,
          severity = excluded.severity, cvss_score = excluded.cvss_score, cvss_vector = excluded.cvss_vector,
          imported_at = now()
        WHERE advisories.modified < excluded.modified
        RETURNING id`.execute(db)
    ).rows.map((r) => r.id);
    if (ids.length === 0) continue;
    stored += ids.length;
    const keep = new Set(ids);
    await db.deleteFrom('advisory_packages').where('advisory_id', 'in', ids).execute();
    // A withdrawn advisory affects nothing any more: its packages go, and its exposures close at the match.
    const pkgs = batch
      .filter((a) => keep.has(a.id) && !a.withdrawn)
      .flatMap((a) => a.packages.map((p) => ({ ...p, advisoryId: a.id })));
    for (const pb of chunks(pkgs)) {
      await sql`INSERT INTO advisory_packages (advisory_id, ecosystem, name, ranges, versions)
        SELECT p.advisory_id, p.ecosystem, p.name, p.ranges, ARRAY(SELECT jsonb_array_elements_text(p.versions))
        FROM unnest(${pb.map((p) => p.advisoryId)}::text[], ${pb.map((p) => p.ecosystem)}::text[],
          ${pb.map((p) => p.name)}::text[], ${pb.map((p) => JSON.stringify(p.ranges))}::jsonb[],
          ${pb.map((p) => JSON.stringify(p.versions))}::jsonb[]) AS p(advisory_id, ecosystem, name, ranges, versions)`.execute(
        db,
      );
    }
  }
  return stored;
}

/** An affected package as matching reads it. */
export type StoredPackage = AdvisoryPackage & { advisoryId: string };

/** Every affected package (of `names` only, when given: the packages of one computer). */
export async function affectedPackages(
  db: Db,
  only?: { ecosystem: string; names: readonly string[] },
): Promise<StoredPackage[]> {
  let q = db
    .selectFrom('advisory_packages')
    .select(['advisory_id as advisoryId', 'ecosystem', 'name', 'ranges', 'versions']);
  if (only) q = q.where('ecosystem', '=', only.ecosystem).where('name', 'in', [...only.names, '']);
  return (await q.execute()) as unknown as StoredPackage[];
}

/** A matched (ecosystem, package, version) and the advisory affecting it. */
export interface Matched {
  ecosystem: string;
  name: string;
  version: string;
  advisoryId: string;
  fixed: string | null;
}

/** Fills this transaction's temporary table of matches (dropped at commit). */
export async function stageMatches(db: Db, matches: readonly Matched[]): Promise<void> {
  await sql`CREATE TEMPORARY TABLE exposure_staged (ecosystem text, name text, version text,
    advisory_id text, fixed text) ON COMMIT DROP`.execute(db);
  for (const b of chunks(matches, 20_000)) {
    await sql`INSERT INTO exposure_staged SELECT * FROM unnest(${b.map((m) => m.ecosystem)}::text[],
      ${b.map((m) => m.name)}::text[], ${b.map((m) => m.version)}::text[], ${b.map((m) => m.advisoryId)}::text[],
      ${b.map((m) => m.fixed)}::text[])`.execute(db);
  }
  // A computer's few matches need neither an index nor statistics; a fleet's do.
  if (matches.length > 1000) {
    await sql`CREATE INDEX ON exposure_staged (ecosystem, name, version)`.execute(db);
    await sql`ANALYZE exposure_staged`.execute(db);
  }
}

/**
 * Opens an exposure for every staged match on every computer running that package (`packages`: the CMDB's
 * source-package rows, restricted to one computer or not) that has none open; due by the SLA of its severity.
 */
export async function openStaged(db: Db, packages: PackagesQuery) {
  const r = await sql`INSERT INTO exposures (advisory_id, computer_id, ecosystem, package, installed_version,
      fixed_version, severity, due_at)
    SELECT m.advisory_id, p.computer_id, p.ecosystem, p.name, p.version, m.fixed, a.severity,
      now() + make_interval(days => s.days)
    FROM exposure_staged m JOIN (${packages}) p
      ON p.ecosystem = m.ecosystem AND p.name = m.name AND p.version = m.version
    JOIN advisories a ON a.id = m.advisory_id JOIN exposure_sla s ON s.severity = a.severity
    ON CONFLICT (advisory_id, computer_id, package) WHERE closed_at IS NULL DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Closes the open exposures (of `computerId`, or all) that no staged match still gives: the package now runs a
 * fixed version (recorded), or is gone.
 */
export async function closeUnstaged(db: Db, packages: PackagesQuery, computerId?: string) {
  const r = await sql`UPDATE exposures e SET closed_at = now(), closed_version = (
      SELECT min(p.version) FROM (${packages}) p
      WHERE p.computer_id = e.computer_id AND p.ecosystem = e.ecosystem AND p.name = e.package)
    WHERE e.closed_at IS NULL ${computerId ? sql`AND e.computer_id = ${computerId}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM exposure_staged m JOIN (${packages}) p
        ON p.ecosystem = m.ecosystem AND p.name = m.name AND p.version = m.version
        WHERE m.advisory_id = e.advisory_id AND p.computer_id = e.computer_id AND p.name = e.package)`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}

/** The days to fix per severity. */
export async function slaDays(db: Db): Promise<Record<Severity, number>> {
  const rows = await db.selectFrom('exposure_sla').select(['severity', 'days']).execute();
  return Object.fromEntries(rows.map((r) => [r.severity, r.days])) as Record<Severity, number>;
}

/** Sets the days to fix of each severity given. */
export async function setSlaDays(db: Db, days: Partial<Record<Severity, number>>): Promise<void> {
  for (const [severity, d] of Object.entries(days) as [Severity, number][]) {
    await db.updateTable('exposure_sla').set({ days: d }).where('severity', '=', severity).execute();
  }
}

/** An open exposure on one of `computerIds`, for remediation. */
export async function openOn(db: Db, computerIds: readonly string[]) {
  if (computerIds.length === 0) return [];
  return db
    .selectFrom('exposures')
    .select([
      'advisory_id',
      'computer_id',
      'package',
      'installed_version',
      'fixed_version',
      'severity',
      'due_at',
    ])
    .where('closed_at', 'is', null)
    .where('computer_id', 'in', [...computerIds])
    .execute();
}

/** The remediation ticket rows of `advisoryIds`. */
export async function ticketsOfAdvisories(db: Db, advisoryIds: readonly string[]) {
  if (advisoryIds.length === 0) return [];
  return db
    .selectFrom('exposure_tickets')
    .selectAll()
    .where('advisory_id', 'in', [...advisoryIds])
    .execute();
}

/** Every remediation ticket row. */
export async function remediationTickets(db: Db) {
  return db.selectFrom('exposure_tickets').selectAll().execute();
}

/** Serialises remediation of one advisory and service (transaction-scoped). */
export async function lockPair(db: Db, advisoryId: string, serviceId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`steward.exposure:${advisoryId}:${serviceId}`}, 0))`.execute(
    db,
  );
}

/** The remediation ticket row of a pair (read under its lock). */
export async function ticketOf(db: Db, advisoryId: string, serviceId: string) {
  return db
    .selectFrom('exposure_tickets')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
}

/** Records a pair's (new) open ticket. */
export async function setTicket(db: Db, advisoryId: string, serviceId: string, ticketId: string) {
  await db
    .insertInto('exposure_tickets')
    .values({ advisory_id: advisoryId, service_id: serviceId, ticket_id: ticketId, resolved_at: null })
    .onConflict((oc) =>
      oc.columns(['advisory_id', 'service_id']).doUpdateSet({ ticket_id: ticketId, resolved_at: null }),
    )
    .execute();
}

/** Marks a pair's ticket resolved, if it was not; false when it already was. */
export async function markResolved(db: Db, advisoryId: string, serviceId: string): Promise<boolean> {
  const r = await db
    .updateTable('exposure_tickets')
    .set({ resolved_at: sql`now()` })
    .where('advisory_id', '=', advisoryId)
    .where('service_id', '=', serviceId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Advisories by id (summary, severity, score, aliases). */
export async function advisoriesById(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('advisories')
    .select(['id', 'summary', 'severity', 'cvss_score', 'aliases'])
    .where('id', 'in', [...ids])
    .execute();
}

/** When advisories were last stored (the advisory cache's stamp). */
export async function importStamp(db: Db): Promise<string> {
  const r = await sql<{ at: string | null }>`SELECT max(imported_at)::text AS at FROM advisories`.execute(db);
  return r.rows[0]?.at ?? '';
}
