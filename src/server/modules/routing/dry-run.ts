import type { RoutingSample, RoutingTestResult } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { parseRule } from './apply.js';
import { holds, Lookups, type RoutedFields } from './conditions.js';
import * as repo from './routing.repository.js';

type Result = RoutingTestResult['result'];
type RuleReport = RoutingTestResult['rules'][number];

/**
 * Routes a sample ticket through the enabled rules without creating it (admins): the same order, `stop` and
 * "nobody overwrites what is set" rules as {@link applyRouting}, reading only. Where a team would pick the
 * assignee by its strategy the result names the strategy, not a person: whose turn it is changes with every
 * ticket, and a test must not move the turn. The sample's own category counts as set by hand.
 */
export async function testRules(ctx: Ctx, actor: Actor, sample: RoutingSample): Promise<RoutingTestResult> {
  if (!allows(actor, 'routing:read')) throw NotFound('routing rule');
  can(actor, 'routing:write');
  const db = ctx.db;
  const t: RoutedFields = {
    // A sample is no ticket: no asset is linked to this id.
    id: '00000000-0000-0000-0000-000000000000',
    type: sample.type,
    title: sample.title,
    description: sample.description,
    requesterId: sample.requesterId ?? '00000000-0000-0000-0000-000000000000',
    categoryId: sample.categoryId ?? null,
  };
  const result: Result = {
    teamId: null,
    assigneeId: null,
    assignedBy: null,
    categoryId: t.categoryId,
    priority: null,
    watcherIds: [],
  };
  const look = new Lookups(db);
  const rules: RuleReport[] = [];
  let stopped = false;
  for (const rule of await repo.listRules(db, true)) {
    const parsed = parseRule(rule);
    if (stopped || !parsed) {
      rules.push({ id: rule.id, name: rule.name, outcome: 'not_reached', conditions: [], skipped: [] });
      continue;
    }
    const conditions: boolean[] = [];
    for (const c of parsed.conditions) conditions.push(await holds(db, c, t, look));
    const matched = conditions.every(Boolean);
    const skipped = matched ? await act(ctx, parsed.actions, t, result) : [];
    rules.push({
      id: rule.id,
      name: rule.name,
      outcome: matched ? 'matched' : 'no_match',
      conditions,
      skipped,
    });
    if (matched && rule.stop) stopped = true;
  }
  return { rules, result };
}

/** Applies one matching rule's actions to the result (as applyRouting would), returning what it skipped. */
async function act(
  { db }: Ctx,
  a: NonNullable<ReturnType<typeof parseRule>>['actions'],
  t: RoutedFields,
  r: Result,
): Promise<string[]> {
  const skipped: string[] = [];
  const earlier = (what: string) => skipped.push(`${what}: already set`);
  if (a.setCategory !== undefined) {
    if (r.categoryId !== null) earlier('category');
    else if ((await repo.existing(db, 'category', [a.setCategory])).size === 1) {
      t.categoryId = r.categoryId = a.setCategory;
    } else skipped.push('category: it no longer exists');
  }
  if (a.setPriority !== undefined) {
    if (r.priority !== null) earlier('priority');
    else r.priority = a.setPriority;
  }
  let strategy: Result['assignedBy'] | undefined;
  if (a.setTeam !== undefined) {
    if (r.teamId !== null) earlier('team');
    else {
      strategy = (await repo.teamStrategy(db, a.setTeam)) ?? null;
      if (strategy === null) skipped.push('team: it no longer exists');
      else r.teamId = a.setTeam;
    }
  }
  if (a.setAgent !== undefined) {
    if (r.assigneeId !== null || r.assignedBy !== null) earlier('agent');
    else if (
      r.teamId === null
        ? await repo.isAvailableAgent(db, a.setAgent)
        : await repo.isAvailableMember(db, r.teamId, a.setAgent)
    ) {
      r.assigneeId = a.setAgent;
    } else skipped.push('agent: away, inactive or not in the team');
  }
  if (strategy && strategy !== 'none' && r.assigneeId === null && r.teamId !== null) {
    if ((await repo.candidates(db, r.teamId, false)).length > 0) r.assignedBy = strategy;
    else skipped.push('assignment: nobody in the team is available');
  }
  if (a.addWatchers) {
    const ok = await repo.existing(db, 'user', a.addWatchers);
    for (const id of a.addWatchers) if (ok.has(id) && !r.watcherIds.includes(id)) r.watcherIds.push(id);
    if (ok.size < new Set(a.addWatchers).size) skipped.push('watchers: some people are gone or inactive');
  }
  return skipped;
}
