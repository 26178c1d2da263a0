/**
 * What other modules may ask the CMDB about devices (computers) and the agents on them: read-only queries,
 * so that the tables stay written by the CMDB alone. Company backups use them to authenticate an agent on the
 * backup endpoint and to name the device it backs up.
 */
import { sql } from 'kysely';
import type { Ctx, Db } from '../../platform/context.js';
import { sha256 } from '../../platform/secrets.js';
import { classes, kindsOf, summaries } from './cmdb.repository.js';

const AGENT_TOKEN = /^stw_agent_[A-Za-z0-9_-]{43}$/;

/** An enrolled, unrevoked agent and the computer it reports (null until its first report). */
export interface AgentIdentity {
  agentId: string;
  hostname: string;
  ciId: string | null;
}

/**
 * Agents by token hash, per database (the backup endpoint asks on every restic request, hundreds per backup).
 * An entry lives {@link AGENT_TTL_MS}; revoking an agent or linking it to another computer drops it at once in
 * this process (another Steward process on the same PostgreSQL sees a revocation within the TTL).
 */
const AGENT_TTL_MS = 10_000;
const AGENT_CACHE_MAX = 10_000;
type AgentCache = Map<string, { agent: AgentIdentity; until: number }>;
const agentCache = new WeakMap<object, AgentCache>();
const cacheOf = (ctx: Ctx): AgentCache => {
  let m = agentCache.get(ctx.db);
  if (!m) agentCache.set(ctx.db, (m = new Map() as AgentCache));
  return m;
};

/** The live agent holding `token`, or undefined for an unknown, malformed or revoked token. */
export async function agentOfToken(ctx: Ctx, token: string): Promise<AgentIdentity | undefined> {
  if (!AGENT_TOKEN.test(token)) return undefined;
  const hash = sha256(token);
  const cache = cacheOf(ctx);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.agent;
  const row = (
    await sql<{ id: string; hostname: string; ci_id: string | null }>`SELECT id, hostname, ci_id FROM agents
      WHERE token_hash = ${hash} AND revoked_at IS NULL`.execute(ctx.db)
  ).rows[0];
  const agent = row && { agentId: row.id, hostname: row.hostname, ciId: row.ci_id };
  cache.delete(hash);
  // Only agents that have reported their machine: an agent without one changes on its first report.
  if (agent?.ciId) {
    if (cache.size >= AGENT_CACHE_MAX) cache.delete(cache.keys().next().value ?? '');
    cache.set(hash, { agent, until: Date.now() + AGENT_TTL_MS });
  }
  return agent;
}

/** Drops agent `agentId` from the token cache (revoked, or linked to another computer). */
export function forgetAgent(ctx: Ctx, agentId: string): void {
  const cache = cacheOf(ctx);
  for (const [hash, v] of cache) if (v.agent.agentId === agentId) cache.delete(hash);
}

/** A computer's name, or undefined when `id` is not an item of a computer class. */
export async function computerName(ctx: Ctx, id: string): Promise<string | undefined> {
  const [item] = await summaries(ctx.db, [id]);
  if (!item) return undefined;
  return (await kindsOf(ctx.db, [id])).get(id) === 'computer' ? item.name : undefined;
}

/** The names of items by id (those that exist). */
export async function itemNames(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await summaries(ctx.db, ids)).map((s) => [s.id, s.name]));
}

/** A computer in use, with what backup policies are assigned by. */
export interface DeviceScope {
  id: string;
  name: string;
  classKey: string;
  teamId: string | null;
  locationId: string | null;
}

/** Every computer in use (not retired or disposed), by name; or just the one with id `only`. */
export async function computersInUse(ctx: Ctx, only?: string): Promise<DeviceScope[]> {
  return (
    await sql<DeviceScope>`SELECT c.id, c.name, c.class_key AS "classKey", c.team_id AS "teamId",
        c.location_id AS "locationId"
      FROM cis c JOIN ci_classes k ON k.key = c.class_key
      WHERE k.kind = 'computer' AND c.status NOT IN ('retired', 'disposed')
        AND (${only ?? null}::uuid IS NULL OR c.id = ${only ?? null}::uuid)
      ORDER BY c.name, c.id`.execute(ctx.db)
  ).rows;
}

/** Class names by key. */
export async function classNames(ctx: Ctx): Promise<Map<string, string>> {
  return new Map((await classes(ctx.db)).map((c) => [c.key, c.name]));
}

/** A service and a computer it depends on (`deviceId` null for a service that depends on none). */
export interface ServiceDependency {
  serviceId: string;
  serviceName: string;
  deviceId: string | null;
}

/**
 * Every business service in use (or just `only`) with each computer it depends on, directly or through other
 * items: one recursive query following "depends on", "runs on" and "installed on" outwards and "used by"
 * inwards (a computer used by a service). Cycles end the walk (UNION keeps each item once per service).
 */
export async function serviceDependencies(ctx: Ctx, only?: string): Promise<ServiceDependency[]> {
  return (
    await sql<ServiceDependency>`WITH RECURSIVE svc AS (
        SELECT c.id, c.name FROM cis c JOIN ci_classes k ON k.key = c.class_key
        WHERE k.kind = 'service' AND c.status NOT IN ('retired', 'disposed')
          AND (${only ?? null}::uuid IS NULL OR c.id = ${only ?? null}::uuid)
      ), walk (root, id) AS (
        SELECT id, id FROM svc
        UNION
        SELECT w.root, e.b FROM walk w JOIN (
          SELECT from_id AS a, to_id AS b FROM ci_relationships
            WHERE type IN ('depends_on', 'runs_on', 'installed_on')
          UNION ALL
          SELECT to_id, from_id FROM ci_relationships WHERE type = 'used_by'
        ) e ON e.a = w.id
      ), devices AS (
        SELECT w.root, w.id FROM walk w JOIN cis c ON c.id = w.id JOIN ci_classes k ON k.key = c.class_key
        WHERE k.kind = 'computer'
      )
      SELECT s.id AS "serviceId", s.name AS "serviceName", d.id AS "deviceId"
      FROM svc s LEFT JOIN devices d ON d.root = s.id
      ORDER BY s.name, s.id`.execute(ctx.db)
  ).rows;
}

/** Who a device concerns: its owner and team (for an incident about it), and its name and class. */
export interface DeviceContacts {
  id: string;
  name: string;
  classKey: string;
  ownerId: string | null;
  teamId: string | null;
  /** An active admin, for a ticket about a device nobody owns (a ticket needs a requester). */
  adminId: string | null;
}

/** The contacts of a device, read in the caller's transaction; undefined when there is no such item. */
export async function deviceContacts(db: Db, id: string): Promise<DeviceContacts | undefined> {
  return (
    await sql<DeviceContacts>`SELECT c.id, c.name, c.class_key AS "classKey",
        (SELECT u.id FROM users u WHERE u.id = c.owner_id AND u.active) AS "ownerId", c.team_id AS "teamId",
        (SELECT u.id FROM users u WHERE u.role = 'admin' AND u.active ORDER BY u.created_at, u.id LIMIT 1)
          AS "adminId"
      FROM cis c WHERE c.id = ${id}`.execute(db)
  ).rows[0];
}

/** A computer in use that a person owns. */
export interface OwnedComputer {
  id: string;
  name: string;
}

/** The computers in use `userId` owns, by name (all of them, or those among `only`). */
export async function computersOwnedBy(
  ctx: Ctx,
  userId: string,
  only?: readonly string[],
): Promise<OwnedComputer[]> {
  const ids = only ? [...only] : null;
  return (
    await sql<OwnedComputer>`SELECT c.id, c.name FROM cis c JOIN ci_classes k ON k.key = c.class_key
      WHERE c.owner_id = ${userId} AND k.kind = 'computer' AND c.status NOT IN ('retired', 'disposed')
        AND (${ids}::uuid[] IS NULL OR c.id = ANY(${ids}::uuid[]))
      ORDER BY c.name, c.id`.execute(ctx.db)
  ).rows;
}
