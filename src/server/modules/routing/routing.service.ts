import type {
  AwayStatus,
  CreateRoutingRule,
  ReorderRoutingRules,
  RoutingActions,
  RoutingCondition,
  RoutingRule,
  TeamAssignment,
  UpdateRoutingRule,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Forbidden, Invalid, NotFound, Stale, type FieldError } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { assetConditionsAvailable } from './conditions.js';
import * as repo from './routing.repository.js';
import type { RuleRow } from './routing.repository.js';

/** More rules than this is a configuration problem, not a routing table. */
const MAX_RULES = 500;

function toView(r: RuleRow): RoutingRule {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    stop: r.stop,
    conditions: r.conditions as RoutingCondition[],
    actions: r.actions as RoutingActions,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const nameTaken = () =>
  Conflict('a routing rule with this name already exists', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

/** Checks that every id a rule names exists (teams, categories, agents, watchers); 400 naming each one. */
async function validate(db: Db, conditions: RoutingCondition[], a: RoutingActions): Promise<void> {
  const errors: FieldError[] = [];
  const need = async (
    kind: 'team' | 'category' | 'agent' | 'user' | 'ci',
    ids: readonly string[],
    path: string,
    what: string,
  ) => {
    const found = await repo.existing(db, kind, ids);
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length > 0) errors.push({ path, message: `${what}: ${missing.join(', ')}` });
  };
  for (const [i, c] of conditions.entries()) {
    const path = `body.conditions.${i}.in`;
    if (c.field === 'category') await need('category', c.in, path, 'no such category');
    if (c.field === 'requesterTeam') await need('team', c.in, path, 'no such team');
    if (c.field === 'asset' && !assetConditionsAvailable()) {
      errors.push({
        path: `body.conditions.${i}.field`,
        message: 'asset conditions need the CMDB, which is not available yet',
      });
    } else if (c.field === 'asset') await need('ci', c.in, path, 'no such item');
  }
  if (a.setTeam) await need('team', [a.setTeam], 'body.actions.setTeam', 'no such team');
  if (a.setCategory) await need('category', [a.setCategory], 'body.actions.setCategory', 'no such category');
  if (a.setAgent)
    await need('agent', [a.setAgent], 'body.actions.setAgent', 'not an active agent, manager or admin');
  if (a.addWatchers) await need('user', a.addWatchers, 'body.actions.addWatchers', 'no such active user');
  if (a.setTeam && a.setAgent && errors.length === 0 && !(await repo.isMember(db, a.setTeam, a.setAgent))) {
    errors.push({ path: 'body.actions.setAgent', message: 'not a member of the team in setTeam' });
  }
  if (errors.length > 0) throw Invalid('the rule names things that do not exist or cannot take work', errors);
}

/** The rules in evaluation order (agents and above may read them). */
export async function listRules(ctx: Ctx, actor: Actor): Promise<{ items: RoutingRule[] }> {
  can(actor, 'routing:read');
  return { items: (await repo.listRules(ctx.db, false, MAX_RULES)).map(toView) };
}

/** One rule; 404 to those who may not read rules. */
export async function getRule(ctx: Ctx, actor: Actor, id: string): Promise<RoutingRule> {
  if (!allows(actor, 'routing:read')) throw NotFound('routing rule');
  const r = await repo.findRule(ctx.db, id);
  if (!r) throw NotFound('routing rule');
  return toView(r);
}

/** Creates a rule at `position` (default: last). Audited. */
export async function createRule(ctx: Ctx, actor: Actor, input: CreateRoutingRule): Promise<RoutingRule> {
  can(actor, 'routing:write');
  try {
    return await ctx.tx(async (db) => {
      await repo.lockOrder(db);
      const count = await repo.countRules(db);
      if (count >= MAX_RULES) throw Conflict(`at most ${MAX_RULES} routing rules`, 'too_many_rules');
      if (await repo.nameTaken(db, input.name, null)) throw nameTaken();
      await validate(db, input.conditions, input.actions);
      const position = Math.min(input.position ?? count + 1, count + 1);
      await repo.shiftFrom(db, position);
      const row = await repo.insertRule(db, {
        name: input.name,
        position,
        enabled: input.enabled,
        stop: input.stop,
        conditions: JSON.stringify(input.conditions),
        actions: JSON.stringify(input.actions),
      });
      const rule = toView(row);
      await record(db, actor, 'routing_rule.created', { type: 'routing_rule', id: row.id }, null, {
        ...rule,
      });
      return rule;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Changes a rule at `version` (412 when stale). Audited with the changed fields. */
export async function updateRule(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateRoutingRule,
): Promise<RoutingRule> {
  can(actor, 'routing:write');
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findRule(db, id);
      if (!current) throw NotFound('routing rule');
      if (current.version !== version) throw Stale();
      const before = toView(current);
      const next = {
        name: input.name ?? before.name,
        enabled: input.enabled ?? before.enabled,
        stop: input.stop ?? before.stop,
        conditions: input.conditions ?? before.conditions,
        actions: input.actions ?? before.actions,
      };
      if (input.name !== undefined && (await repo.nameTaken(db, input.name, id))) throw nameTaken();
      await validate(db, next.conditions, next.actions);
      const row = await repo.updateRule(db, id, version, {
        ...next,
        conditions: JSON.stringify(next.conditions),
        actions: JSON.stringify(next.actions),
      });
      if (!row) throw Stale();
      const after = toView(row);
      await record(
        db,
        actor,
        'routing_rule.updated',
        { type: 'routing_rule', id },
        { ...before },
        { ...after },
      );
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Deletes a rule (If-Match optional: when given, 412 if stale) and closes the gap in the order. Audited. */
export async function deleteRule(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number | undefined,
): Promise<void> {
  can(actor, 'routing:write');
  await ctx.tx(async (db) => {
    await repo.lockOrder(db);
    const current = await repo.findRule(db, id);
    if (!current) throw NotFound('routing rule');
    if (version !== undefined && current.version !== version) throw Stale();
    await repo.deleteRule(db, id);
    await repo.renumber(db);
    await record(
      db,
      actor,
      'routing_rule.deleted',
      { type: 'routing_rule', id },
      { ...toView(current) },
      null,
    );
  });
}

/** Puts the rules in the given order; `ids` must name every rule exactly once (400 otherwise). Audited. */
export async function reorderRules(
  ctx: Ctx,
  actor: Actor,
  input: ReorderRoutingRules,
): Promise<{ items: RoutingRule[] }> {
  can(actor, 'routing:write');
  return ctx.tx(async (db) => {
    await repo.lockOrder(db);
    const rules = await repo.listRules(db, false, MAX_RULES);
    const known = new Set(rules.map((r) => r.id));
    const given = new Set(input.ids);
    if (
      given.size !== input.ids.length ||
      given.size !== known.size ||
      input.ids.some((id) => !known.has(id))
    ) {
      throw Invalid('the new order must name every routing rule exactly once', [
        { path: 'body.ids', message: `expected each of the ${known.size} rule ids once` },
      ]);
    }
    const before = rules.map((r) => r.id);
    await repo.setOrder(db, input.ids);
    await record(
      db,
      actor,
      'routing_rule.reordered',
      { type: 'routing_rule', id: null },
      { order: before },
      { order: input.ids },
    );
    return { items: (await repo.listRules(db, false, MAX_RULES)).map(toView) };
  });
}

/** A team's assignment strategy (agents and above). */
export async function getTeamAssignment(ctx: Ctx, actor: Actor, teamId: string): Promise<TeamAssignment> {
  if (!allows(actor, 'team:read')) throw NotFound('team');
  const strategy = await repo.teamStrategy(ctx.db, teamId);
  if (!strategy) throw NotFound('team');
  return { strategy };
}

/** Sets how a team shares automatically assigned tickets (admins). Audited. */
export async function setTeamAssignment(
  ctx: Ctx,
  actor: Actor,
  teamId: string,
  input: TeamAssignment,
): Promise<TeamAssignment> {
  can(actor, 'routing:write');
  return ctx.tx(async (db) => {
    const before = await repo.teamStrategy(db, teamId);
    if (!before) throw NotFound('team');
    await repo.setTeamStrategy(db, teamId, input.strategy);
    await record(
      db,
      actor,
      'team.assignment_changed',
      { type: 'team', id: teamId },
      { assignment: before },
      {
        assignment: input.strategy,
      },
    );
    return { strategy: input.strategy };
  });
}

/**
 * Reads a user's away flag: one's own (agents and above), anyone's for those who may read users.
 */
export async function getAway(ctx: Ctx, actor: Actor, userId: string): Promise<AwayStatus> {
  if (userId !== actor.userId && !allows(actor, 'user:read')) throw NotFound('user');
  const away = await repo.awayOf(ctx.db, userId);
  if (away === undefined) throw NotFound('user');
  return { away };
}

/**
 * Marks a user away (or back): agents and above for themselves, admins for anyone. Requesters get no work,
 * so the flag means nothing for them (403). Audited.
 */
export async function setAway(
  ctx: Ctx,
  actor: Actor,
  userId: string,
  input: AwayStatus,
): Promise<AwayStatus> {
  if (userId !== actor.userId) can(actor, 'user:write');
  else if (!allows(actor, 'ticket:work'))
    throw Forbidden('only agents, managers and admins can be marked away');
  return ctx.tx(async (db) => {
    const before = await repo.awayOf(db, userId);
    if (before === undefined) throw NotFound('user');
    await repo.setAway(db, userId, input.away);
    if (before !== input.away) {
      await record(
        db,
        actor,
        'user.away_changed',
        { type: 'user', id: userId },
        { away: before },
        { away: input.away },
      );
    }
    return { away: input.away };
  });
}
