import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';

/** An enrolled agent. */
export interface AgentRow {
  id: string;
  hostname: string;
  system_uuid: string;
  ci_id: string | null;
  last_report_hash: string | null;
  revoked_at: Date | null;
}

/** Inserts an enrolment token (hash only). */
export async function insertEnrolmentToken(
  db: Db,
  t: { hash: string; note: string; uses: number; expiresAt: Date; createdBy: string | null },
) {
  return (
    await sql<{
      id: string;
    }>`INSERT INTO agent_enrolment_tokens (token_hash, note, uses_left, expires_at, created_by)
      VALUES (${t.hash}, ${t.note}, ${t.uses}, ${t.expiresAt}, ${t.createdBy}) RETURNING id`.execute(db)
  ).rows[0]!.id;
}

/** Spends one use of a valid enrolment token; false when it is unknown, used up or expired. */
export async function spendEnrolmentToken(db: Db, hash: string): Promise<boolean> {
  const r = await sql`UPDATE agent_enrolment_tokens SET uses_left = uses_left - 1
    WHERE token_hash = ${hash} AND uses_left > 0 AND expires_at > now()`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/**
 * Inserts an agent, unless an active agent holds its system UUID (in any case): undefined then. Decided by a
 * unique index, so of two enrolments racing with one UUID only one gets in.
 */
export async function insertAgent(
  db: Db,
  a: { hash: string; hostname: string; systemUuid: string },
): Promise<string | undefined> {
  return (
    await sql<{ id: string }>`INSERT INTO agents (token_hash, hostname, system_uuid)
      VALUES (${a.hash}, ${a.hostname}, ${a.systemUuid})
      ON CONFLICT (lower(system_uuid)) WHERE revoked_at IS NULL DO NOTHING RETURNING id`.execute(db)
  ).rows[0]?.id;
}

/** An active agent that holds a machine, and the computer it reports as (if it has reported). */
export interface Holder {
  agentId: string;
  hostname: string;
  computer: string | null;
}

/**
 * The active agent holding system UUID `uuid` (case-insensitively): one enrolled with it, or one bound to a
 * computer that has it.
 */
export async function uuidHolder(db: Db, uuid: string): Promise<Holder | undefined> {
  return (
    await sql<Holder>`SELECT a.id AS "agentId", a.hostname, c.name AS computer
      FROM agents a LEFT JOIN cis c ON c.id = a.ci_id
      WHERE a.revoked_at IS NULL AND (lower(a.system_uuid) = lower(${uuid}) OR a.ci_id IN (
        SELECT id FROM cis WHERE custom ? 'system_uuid' AND lower(custom->>'system_uuid') = lower(${uuid})))
      ORDER BY a.created_at LIMIT 1`.execute(db)
  ).rows[0];
}

/** The active agent other than `except` bound to computer `ciId`. */
export async function ownerOf(db: Db, ciId: string, except: string): Promise<Holder | undefined> {
  return (
    await sql<Holder>`SELECT a.id AS "agentId", a.hostname, c.name AS computer
      FROM agents a JOIN cis c ON c.id = a.ci_id
      WHERE a.ci_id = ${ciId} AND a.revoked_at IS NULL AND a.id <> ${except}`.execute(db)
  ).rows[0];
}

/**
 * Serialises first reports that name the same machine (by system UUID, serial or MAC): one transaction-scoped
 * lock per identifier, taken in a fixed order, so two new agents cannot both match or create it at once.
 */
export async function lockIdentifiers(db: Db, ids: readonly string[]): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended('steward.machine:' || lower(x), 0) AS k FROM unnest(${[...ids]}::text[]) x
      ORDER BY k) s`.execute(db);
}

/** The agent of a token, locked for its report (reports of one device are applied one at a time). */
export async function agentByToken(db: Db, hash: string): Promise<AgentRow | undefined> {
  return (
    await sql<AgentRow>`SELECT id, hostname, system_uuid, ci_id, last_report_hash, revoked_at FROM agents
      WHERE token_hash = ${hash} FOR UPDATE`.execute(db)
  ).rows[0];
}

/** Records a report. */
export async function reported(db: Db, id: string, ciId: string, hash: string): Promise<void> {
  await sql`UPDATE agents SET ci_id = ${ciId}, last_report_hash = ${hash}, last_report_at = now()
    WHERE id = ${id}`.execute(db);
}

/** Marks an agent's report time only (an identical report). */
export async function seen(db: Db, id: string): Promise<void> {
  await sql`UPDATE agents SET last_report_at = now() WHERE id = ${id}`.execute(db);
}

/** Revokes an agent's token. */
export async function revokeAgent(db: Db, id: string): Promise<boolean> {
  const r = await sql`UPDATE agents SET revoked_at = now() WHERE id = ${id} AND revoked_at IS NULL`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Enrolled agents, newest first: up to `limit` after the keyset position `after` (created_at, id). */
export async function listAgents(
  db: Db,
  after: readonly [createdAt: string, id: string] | undefined,
  limit: number,
) {
  return (
    await sql<{
      id: string;
      hostname: string;
      system_uuid: string;
      ci_id: string | null;
      last_report_at: Date | null;
      revoked_at: Date | null;
      created_at: Date;
      /** created_at to the microsecond (a Date keeps milliseconds): the cursor's key. */
      created_key: string;
    }>`SELECT id, hostname, system_uuid, ci_id, last_report_at, revoked_at, created_at,
        ${isoMicros(sql`created_at`)} AS created_key FROM agents
      ${after ? sql`WHERE (created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      ORDER BY created_at DESC, id DESC LIMIT ${limit}`.execute(db)
  ).rows;
}

/** A computer a report matched, and how. */
export interface Match {
  id: string;
  name: string;
  systemUuid: string | null;
  matchedBy: 'system UUID' | 'serial number' | 'MAC address';
}

/**
 * The computer a report is about: by system UUID first (case-insensitively), then serial, then a shared MAC
 * address (the oldest when several match); never a retired or disposed one. Each way is an index lookup.
 */
export async function matchComputer(
  db: Db,
  m: { uuid: string; serial: string; macs: readonly string[] },
): Promise<Match | undefined> {
  const r = await sql<Match>`SELECT c.id, c.name, c.custom->>'system_uuid' AS "systemUuid",
      (ARRAY['system UUID', 'serial number', 'MAC address'])[found.rank] AS "matchedBy" FROM (
      SELECT id, 1 AS rank FROM cis
        WHERE custom ? 'system_uuid' AND lower(custom->>'system_uuid') = lower(${m.uuid})
      UNION ALL
      SELECT id, 2 FROM cis WHERE ${m.serial} <> '' AND lower(serial) = lower(${m.serial})
      UNION ALL
      SELECT id, 3 FROM cis WHERE custom ? 'macs'
        AND string_to_array(custom->>'macs', ',') && ${[...m.macs]}::text[]
    ) found
    JOIN cis c ON c.id = found.id JOIN ci_classes k ON k.key = c.class_key
    WHERE k.kind = 'computer' AND c.status NOT IN ('retired', 'disposed')
    ORDER BY found.rank, c.created_at, c.id
    LIMIT 1`.execute(db);
  return r.rows[0];
}

/** The software installations of a computer (installed_on it), with their product and version. */
export async function installationsOf(db: Db, computerId: string) {
  return (
    await sql<{ id: string; product: string; version: string; status: string; name: string }>`
      SELECT c.id, c.custom->>'product' AS product, coalesce(c.custom->>'version', '') AS version, c.status, c.name
      FROM ci_relationships r JOIN cis c ON c.id = r.from_id
      WHERE r.to_id = ${computerId} AND r.type = 'installed_on' AND c.class_key = 'software_installation'`.execute(
      db,
    )
  ).rows;
}

/** Creates installations of a computer in three statements (items, relationships); returns their ids. */
export async function addInstallations(
  db: Db,
  computerId: string,
  sw: readonly { name: string; version: string; source?: string; sourceVersion?: string }[],
): Promise<{ id: string; name: string; product: string; version: string }[]> {
  if (sw.length === 0) return [];
  // The source package and its version, where the agent reported them (Linux packages).
  const rows = await sql<{ id: string; name: string; product: string; version: string }>`
    INSERT INTO cis (class_key, name, status, custom)
    SELECT 'software_installation', left(v.name || CASE WHEN v.version = '' THEN '' ELSE ' ' || v.version END, 200),
      'deployed', jsonb_strip_nulls(jsonb_build_object('product', v.name, 'version', v.version,
        'source', v.source, 'source_version', v.source_version))
    FROM unnest(${sw.map((s) => s.name)}::text[], ${sw.map((s) => s.version)}::text[],
      ${sw.map((s) => s.source ?? null)}::text[], ${sw.map((s) => s.sourceVersion ?? null)}::text[])
      AS v(name, version, source, source_version)
    RETURNING id, name, custom->>'product' AS product, custom->>'version' AS version`.execute(db);
  await sql`INSERT INTO ci_relationships (from_id, type, to_id)
    SELECT unnest(${rows.rows.map((r) => r.id)}::uuid[]), 'installed_on', ${computerId}`.execute(db);
  return rows.rows;
}

/** Sets the status of many items. */
export async function setStatuses(db: Db, ids: readonly string[], status: string): Promise<void> {
  if (ids.length === 0) return;
  await sql`UPDATE cis SET status = ${status}, version = version + 1, updated_at = now()
    WHERE id = ANY(${[...ids]}::uuid[])`.execute(db);
}

/** A peripheral (or storage device) connected to a computer, with that relationship. */
export interface ConnectedPeripheral {
  id: string;
  class_key: string;
  name: string;
  manufacturer: string | null;
  serial: string | null;
  discovered: boolean;
  rel_id: string;
}

/** The peripherals and storage devices connected to a computer (`connected_to` it). */
export async function connectedPeripherals(db: Db, computerId: string): Promise<ConnectedPeripheral[]> {
  return (
    await sql<ConnectedPeripheral>`SELECT c.id, c.class_key, c.name, c.manufacturer, c.serial,
        coalesce((c.custom->>'discovered')::boolean, false) AS discovered, r.id AS rel_id
      FROM ci_relationships r JOIN cis c ON c.id = r.from_id JOIN ci_classes k ON k.key = c.class_key
      WHERE r.to_id = ${computerId} AND r.type = 'connected_to' AND k.kind IN ('peripheral', 'storage')
      ORDER BY c.created_at, c.id`.execute(db)
  ).rows;
}

/**
 * A live item of `classKey` with this serial number (a peripheral moved from another computer), and the
 * computer it is connected to, if any.
 */
export async function peripheralBySerial(db: Db, classKey: string, serial: string) {
  return (
    await sql<{ id: string; rel_id: string | null; computer_id: string | null }>`SELECT c.id,
        r.id AS rel_id, r.to_id AS computer_id
      FROM cis c LEFT JOIN LATERAL (
        SELECT r.id, r.to_id FROM ci_relationships r JOIN cis t ON t.id = r.to_id JOIN ci_classes k ON k.key = t.class_key
        WHERE r.from_id = c.id AND r.type = 'connected_to' AND k.kind = 'computer' LIMIT 1) r ON true
      WHERE c.class_key = ${classKey} AND lower(c.serial) = lower(${serial})
        AND c.status NOT IN ('retired', 'disposed')
      ORDER BY c.created_at, c.id LIMIT 1`.execute(db)
  ).rows[0];
}

/** A retired installation due for pruning, with the computer it was installed on. */
export interface RetiredInstallation {
  id: string;
  product: string;
  version: string;
  computer_id: string | null;
}

/**
 * Up to `limit` installations retired before `cutoff`, oldest first, locked (another process pruning at the
 * same time skips them). Installations a ticket is about are kept: the ticket's link would go with them.
 */
export async function retiredBefore(db: Db, cutoff: Date, limit: number): Promise<RetiredInstallation[]> {
  return (
    await sql<RetiredInstallation>`SELECT c.id, c.custom->>'product' AS product,
        coalesce(c.custom->>'version', '') AS version,
        (SELECT r.to_id FROM ci_relationships r WHERE r.from_id = c.id AND r.type = 'installed_on' LIMIT 1)
          AS computer_id
      FROM cis c
      WHERE c.class_key = 'software_installation' AND c.status = 'retired' AND c.updated_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM ticket_cis t WHERE t.ci_id = c.id)
      ORDER BY c.updated_at, c.id LIMIT ${limit}
      FOR UPDATE OF c SKIP LOCKED`.execute(db)
  ).rows;
}

/** Deletes installations (their relationships go with them). */
export async function deleteInstallations(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`DELETE FROM cis WHERE id = ANY(${[...ids]}::uuid[]) AND class_key = 'software_installation'`.execute(
    db,
  );
}

/**
 * Inventory coverage since `since` (compliance evidence): the deployed computers, how many of them an agent
 * reported in that time, and up to 100 of those it did not, by name.
 */
export async function inventoryCoverage(db: Db, since: Date) {
  const rows = await db
    .selectFrom('cis as c')
    .innerJoin('ci_classes as k', 'k.key', 'c.class_key')
    .where('k.kind', '=', 'computer')
    .where('c.status', '=', 'deployed')
    .select((eb) => [
      'c.name',
      eb
        .exists(
          eb
            .selectFrom('agents as a')
            .select('a.id')
            .whereRef('a.ci_id', '=', 'c.id')
            .where('a.revoked_at', 'is', null)
            .where('a.last_report_at', '>=', since),
        )
        .as('seen'),
    ])
    .orderBy(sql`lower(c.name)`)
    .execute();
  const unseen = rows.filter((r) => !r.seen).map((r) => r.name);
  return { total: rows.length, seen: rows.length - unseen.length, unseen: unseen.slice(0, 100) };
}
