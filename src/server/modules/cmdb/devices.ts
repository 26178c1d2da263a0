/**
 * What other modules may ask the CMDB about devices (computers) and the agents on them: read-only queries,
 * so that the tables stay written by the CMDB alone. Company backups use them to authenticate an agent on the
 * backup endpoint and to name the device it backs up.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
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
