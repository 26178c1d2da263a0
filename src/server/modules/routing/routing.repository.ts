import { sql } from 'kysely';
import type { AssignmentStrategy } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** A stored routing rule (conditions and actions as stored JSON, validated on the way in). */
export interface RuleRow {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  stop: boolean;
  conditions: unknown;
  actions: unknown;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const COLS = sql.raw(
  'id, name, position, enabled, stop, conditions, actions, created_at, updated_at, version',
);

/** Serialises writes to the rule order (positions stay dense and unique without a unique index dance). */
const ORDER_LOCK = 0x5e7a_0004;

/** Takes the transaction-scoped lock that every rule write holds. */
export async function lockOrder(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ORDER_LOCK})`.execute(db);
}

/** Every rule in evaluation order (at most `limit`). */
export async function listRules(db: Db, onlyEnabled = false, limit = 1000): Promise<RuleRow[]> {
  const where = onlyEnabled ? sql`WHERE enabled` : sql``;
  return (
    await sql<RuleRow>`SELECT ${COLS} FROM routing_rules ${where} ORDER BY position, id LIMIT ${limit}`.execute(
      db,
    )
  ).rows;
}

/** One rule. */
export async function findRule(db: Db, id: string): Promise<RuleRow | undefined> {
  return (await sql<RuleRow>`SELECT ${COLS} FROM routing_rules WHERE id = ${id}`.execute(db)).rows[0];
}

/** Whether another rule already has this name (case-insensitively). */
export async function nameTaken(db: Db, name: string, exceptId: string | null): Promise<boolean> {
  const r =
    await sql`SELECT 1 FROM routing_rules WHERE lower(name) = lower(${name}) AND id IS DISTINCT FROM ${exceptId}::uuid`.execute(
      db,
    );
  return r.rows.length > 0;
}

/** How many rules exist. */
export async function countRules(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM routing_rules`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Moves rules at or after `from` one place down (to make room at `from`). */
export async function shiftFrom(db: Db, from: number): Promise<void> {
  await sql`UPDATE routing_rules SET position = position + 1 WHERE position >= ${from}`.execute(db);
}

/** Renumbers every rule 1..n in its current order (after a delete or an insert). */
export async function renumber(db: Db): Promise<void> {
  await sql`
    UPDATE routing_rules r SET position = o.n
      FROM (SELECT id, row_number() OVER (ORDER BY position, id)::int AS n FROM routing_rules) o
     WHERE r.id = o.id AND r.position <> o.n`.execute(db);
}

/** Inserts a rule. */
export async function insertRule(
  db: Db,
  r: { name: string; position: number; enabled: boolean; stop: boolean; conditions: string; actions: string },
): Promise<RuleRow> {
  const res = await sql<RuleRow>`
    INSERT INTO routing_rules (name, position, enabled, stop, conditions, actions)
    VALUES (${r.name}, ${r.position}, ${r.enabled}, ${r.stop}, ${r.conditions}::jsonb, ${r.actions}::jsonb)
    RETURNING ${COLS}`.execute(db);
  return res.rows[0] as RuleRow;
}

/** Updates a rule if it is still at `version`; undefined when stale or gone. */
export async function updateRule(
  db: Db,
  id: string,
  version: number,
  r: { name: string; enabled: boolean; stop: boolean; conditions: string; actions: string },
): Promise<RuleRow | undefined> {
  const res = await sql<RuleRow>`
    UPDATE routing_rules
       SET name = ${r.name}, enabled = ${r.enabled}, stop = ${r.stop}, conditions = ${r.conditions}::jsonb,
           actions = ${r.actions}::jsonb, updated_at = now(), version = version + 1
     WHERE id = ${id} AND version = ${version}
    RETURNING ${COLS}`.execute(db);
  return res.rows[0];
}

/** Deletes a rule. */
export async function deleteRule(db: Db, id: string): Promise<void> {
  await sql`DELETE FROM routing_rules WHERE id = ${id}`.execute(db);
}

/** Sets positions 1..n in the order of `ids` (which must name every rule). */
export async function setOrder(db: Db, ids: string[]): Promise<void> {
  await sql`
    UPDATE routing_rules r SET position = o.n, updated_at = now(), version = version + 1
      FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS o(id, n)
     WHERE r.id = o.id AND r.position <> o.n`.execute(db);
}

/** Which of `ids` are existing teams / categories / active non-requester users / active users. */
export async function existing(
  db: Db,
  kind: 'team' | 'category' | 'agent' | 'user' | 'ci',
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const q =
    kind === 'ci'
      ? sql<{ id: string }>`SELECT id FROM cis WHERE id = ANY(${ids}::uuid[])`
      : kind === 'team'
        ? sql<{ id: string }>`SELECT id FROM teams WHERE id = ANY(${ids}::uuid[])`
        : kind === 'category'
          ? sql<{ id: string }>`SELECT id FROM categories WHERE id = ANY(${ids}::uuid[])`
          : kind === 'agent'
            ? sql<{
                id: string;
              }>`SELECT id FROM users WHERE id = ANY(${ids}::uuid[]) AND active AND role <> 'requester'`
            : sql<{ id: string }>`SELECT id FROM users WHERE id = ANY(${ids}::uuid[]) AND active`;
  return new Set((await q.execute(db)).rows.map((r) => r.id));
}

/** The teams a user belongs to. */
export async function teamsOf(db: Db, userId: string): Promise<string[]> {
  const r = await sql<{
    team_id: string;
  }>`SELECT team_id FROM team_members WHERE user_id = ${userId}`.execute(db);
  return r.rows.map((x) => x.team_id);
}

/** Whether `userId` is an active, non-requester member of `teamId` who is not away. */
export async function isAvailableMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const r = await sql`
    SELECT 1 FROM team_members m JOIN users u ON u.id = m.user_id
     WHERE m.team_id = ${teamId} AND m.user_id = ${userId} AND u.active AND NOT u.away AND u.role <> 'requester'`.execute(
    db,
  );
  return r.rows.length > 0;
}

/** Whether `userId` is active, not a requester, and not away. */
export async function isAvailableAgent(db: Db, userId: string): Promise<boolean> {
  const r =
    await sql`SELECT 1 FROM users WHERE id = ${userId} AND active AND NOT away AND role <> 'requester'`.execute(
      db,
    );
  return r.rows.length > 0;
}

/** Locks a team row (serialising automatic assignment within it) and returns its strategy and last pick. */
export async function lockTeamAssignment(
  db: Db,
  teamId: string,
): Promise<{ assignment: AssignmentStrategy; last_assignee_id: string | null } | undefined> {
  const r = await sql<{ assignment: AssignmentStrategy; last_assignee_id: string | null }>`
    SELECT assignment, last_assignee_id FROM teams WHERE id = ${teamId} FOR UPDATE`.execute(db);
  return r.rows[0];
}

/**
 * The team's members who may get work (active, not requesters, not away), ordered by id, each with the
 * number of open tickets assigned to them when `withCounts` (else 0).
 */
export async function candidates(
  db: Db,
  teamId: string,
  withCounts: boolean,
): Promise<{ id: string; open: number }[]> {
  // Round-robin needs no counts: skip the per-member count.
  const open = withCounts
    ? sql`(SELECT count(*)::int FROM tickets t
            WHERE t.assignee_id = u.id AND t.status NOT IN ('resolved', 'closed', 'cancelled'))`
    : sql`0`;
  const r = await sql<{ id: string; open: number }>`
    SELECT u.id, ${open} AS open
      FROM team_members m JOIN users u ON u.id = m.user_id
     WHERE m.team_id = ${teamId} AND u.active AND NOT u.away AND u.role <> 'requester'
     ORDER BY u.id`.execute(db);
  return r.rows;
}

/** Records a team's latest automatic assignee (the round-robin position). */
export async function setLastAssignee(db: Db, teamId: string, userId: string): Promise<void> {
  await sql`UPDATE teams SET last_assignee_id = ${userId} WHERE id = ${teamId}`.execute(db);
}

/** A team's assignment strategy; undefined for an unknown team. */
export async function teamStrategy(db: Db, teamId: string): Promise<AssignmentStrategy | undefined> {
  const r = await sql<{
    assignment: AssignmentStrategy;
  }>`SELECT assignment FROM teams WHERE id = ${teamId}`.execute(db);
  return r.rows[0]?.assignment;
}

/** Sets a team's assignment strategy; false for an unknown team. */
export async function setTeamStrategy(
  db: Db,
  teamId: string,
  strategy: AssignmentStrategy,
): Promise<boolean> {
  const r =
    await sql`UPDATE teams SET assignment = ${strategy}, updated_at = now() WHERE id = ${teamId}`.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

/** A user's away flag; undefined for an unknown user. */
export async function awayOf(db: Db, userId: string): Promise<boolean | undefined> {
  const r = await sql<{ away: boolean }>`SELECT away FROM users WHERE id = ${userId}`.execute(db);
  return r.rows[0]?.away;
}

/** Sets a user's away flag. */
export async function setAway(db: Db, userId: string, away: boolean): Promise<void> {
  await sql`UPDATE users SET away = ${away} WHERE id = ${userId}`.execute(db);
}

/** Writes the routed fields of a just-created ticket (no version bump: it is still the creation). */
export async function routeTicket(
  db: Db,
  id: string,
  f: {
    teamId: string | null;
    assigneeId: string | null;
    categoryId: string | null;
    priority: number;
    priorityOverride: boolean;
  },
): Promise<void> {
  await sql`
    UPDATE tickets
       SET team_id = ${f.teamId}, assignee_id = ${f.assigneeId}, category_id = ${f.categoryId},
           priority = ${f.priority}, priority_override = ${f.priorityOverride},
           status = CASE WHEN status = 'new' AND ${f.assigneeId}::uuid IS NOT NULL THEN 'assigned' ELSE status END
     WHERE id = ${id}`.execute(db);
}

/** Adds watchers to a ticket (already watching: no change). */
export async function addWatchers(db: Db, ticketId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await sql`
    INSERT INTO ticket_watchers (ticket_id, user_id)
    SELECT ${ticketId}, u FROM unnest(${userIds}::uuid[]) AS u
    ON CONFLICT DO NOTHING`.execute(db);
}

/** One `routing` timeline event: which rule applied and what it changed. */
export async function insertRoutingEvent(
  db: Db,
  ticketId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await sql`
    INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, field, old_value, new_value)
    VALUES (${ticketId}, NULL, 'routing', 'routing', NULL, NULL, ${JSON.stringify(detail)}::jsonb)`.execute(
    db,
  );
}

/** Whether `userId` belongs to `teamId`. */
export async function isMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const r = await sql`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND user_id = ${userId}`.execute(
    db,
  );
  return r.rows.length > 0;
}
