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

/** Inserts an agent. */
export async function insertAgent(db: Db, a: { hash: string; hostname: string; systemUuid: string }) {
  return (
    await sql<{ id: string }>`INSERT INTO agents (token_hash, hostname, system_uuid)
      VALUES (${a.hash}, ${a.hostname}, ${a.systemUuid}) RETURNING id`.execute(db)
  ).rows[0]!.id;
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

/**
 * The computer a report is about: by system UUID first, then serial, then a shared MAC address (the oldest
 * when several match); never a retired or disposed one. Each way is an index lookup of its own.
 */
export async function matchComputer(
  db: Db,
  m: { uuid: string; serial: string; macs: readonly string[] },
): Promise<string | undefined> {
  const r = await sql<{ id: string }>`SELECT c.id FROM (
      SELECT id, 1 AS rank FROM cis WHERE custom ? 'system_uuid' AND custom->>'system_uuid' = ${m.uuid}
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
  return r.rows[0]?.id;
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
  sw: readonly { name: string; version: string }[],
): Promise<{ id: string; name: string; product: string; version: string }[]> {
  if (sw.length === 0) return [];
  const rows = await sql<{ id: string; name: string; product: string; version: string }>`
    INSERT INTO cis (class_key, name, status, custom)
    SELECT 'software_installation', left(v.name || CASE WHEN v.version = '' THEN '' ELSE ' ' || v.version END, 200),
      'deployed', jsonb_build_object('product', v.name, 'version', v.version)
    FROM unnest(${sw.map((s) => s.name)}::text[], ${sw.map((s) => s.version)}::text[]) AS v(name, version)
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
