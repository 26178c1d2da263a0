/**
 * The source packages each computer runs, in its OS release's OSV ecosystem, from its discovery reports: what
 * vulnerability exposure matches advisories against (advisories name source packages). Written only by report
 * processing (reconcileSources, in the report's transaction); read by other modules through the queries below.
 */
import { sql } from 'kysely';
import type { AgentReport } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';

/** A computer's source package. */
export interface SourcePackage {
  computerId: string;
  ecosystem: string;
  name: string;
  version: string;
}

const LTS = /^\d*[02468]\.04$/;

/**
 * The OSV ecosystem of an os-release ID and VERSION_ID: `Debian:12`, `Ubuntu:22.04:LTS` (even years' April
 * releases), `Ubuntu:23.10`, `Rocky Linux:9`, `AlmaLinux:9`; undefined for a release advisories are not
 * matched against.
 */
export function ecosystemOf(id: string | undefined, versionId: string | undefined): string | undefined {
  if (!id || !versionId) return undefined;
  const major = versionId.split('.')[0];
  switch (id.toLowerCase()) {
    case 'debian':
      return `Debian:${major}`;
    case 'ubuntu':
      return `Ubuntu:${versionId}${LTS.test(versionId) ? ':LTS' : ''}`;
    case 'rocky':
      return `Rocky Linux:${major}`;
    case 'almalinux':
      return `AlmaLinux:${major}`;
    default:
      return undefined;
  }
}

/** The distinct source packages of a report, in its ecosystem (none when the release is not matched). */
export function sourcesOf(report: AgentReport): { ecosystem: string; name: string; version: string }[] {
  const ecosystem = ecosystemOf(report.os.id, report.os.versionId);
  if (!ecosystem) return [];
  const seen = new Map<string, { ecosystem: string; name: string; version: string }>();
  for (const s of report.software) {
    if (!s.source || !s.sourceVersion) continue;
    seen.set(`${s.source}\0${s.sourceVersion}`, { ecosystem, name: s.source, version: s.sourceVersion });
  }
  return [...seen.values()];
}

/**
 * Makes a computer's source packages those of its report: gone ones deleted, new ones added, all in the
 * report's ecosystem. Returns whether anything changed.
 */
export async function reconcileSources(
  db: Db,
  computerId: string,
  sources: readonly { ecosystem: string; name: string; version: string }[],
): Promise<boolean> {
  const names = sources.map((s) => s.name);
  const versions = sources.map((s) => s.version);
  const ecosystem = sources[0]?.ecosystem ?? '';
  const gone = await sql`DELETE FROM ci_source_packages p WHERE p.computer_id = ${computerId}
    AND (p.ecosystem <> ${ecosystem} OR NOT EXISTS (
      SELECT 1 FROM unnest(${names}::text[], ${versions}::text[]) AS n(name, version)
      WHERE n.name = p.name AND n.version = p.version))`.execute(db);
  const added = await sql`INSERT INTO ci_source_packages (computer_id, ecosystem, name, version)
    SELECT ${computerId}, ${ecosystem}, n.name, n.version
    FROM unnest(${names}::text[], ${versions}::text[]) AS n(name, version)
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(gone.numAffectedRows ?? 0) + Number(added.numAffectedRows ?? 0) > 0;
}

/** The source packages of one computer. */
export async function sourcePackagesOf(db: Db, computerId: string): Promise<SourcePackage[]> {
  return db
    .selectFrom('ci_source_packages')
    .select(['computer_id as computerId', 'ecosystem', 'name', 'version'])
    .where('computer_id', '=', computerId)
    .execute();
}

/** Every distinct (ecosystem, name, version) run by some computer: what a full match checks, once each. */
export async function distinctSourcePackages(
  ctx: Ctx,
): Promise<{ ecosystem: string; name: string; version: string }[]> {
  return ctx.db
    .selectFrom('ci_source_packages')
    .select(['ecosystem', 'name', 'version'])
    .distinct()
    .execute();
}

/**
 * The source-package rows as a query to join (computer_id, ecosystem, name, version): the CMDB's reading of its
 * table, for set-based statements of other modules that would otherwise move millions of rows through Node.
 */
export function sourcePackagesTable(db: Db) {
  return db.selectFrom('ci_source_packages').select(['computer_id', 'ecosystem', 'name', 'version']);
}
