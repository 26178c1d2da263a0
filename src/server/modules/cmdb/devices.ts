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

/** The live agent holding `token`, or undefined for an unknown, malformed or revoked token. */
export async function agentOfToken(ctx: Ctx, token: string): Promise<AgentIdentity | undefined> {
  if (!AGENT_TOKEN.test(token)) return undefined;
  const row = (
    await sql<{ id: string; hostname: string; ci_id: string | null }>`SELECT id, hostname, ci_id FROM agents
      WHERE token_hash = ${sha256(token)} AND revoked_at IS NULL`.execute(ctx.db)
  ).rows[0];
  return row && { agentId: row.id, hostname: row.hostname, ciId: row.ci_id };
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
