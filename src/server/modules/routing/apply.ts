import {
  type AssignmentStrategy,
  RoutingActions,
  RoutingCondition,
  type Ticket,
} from '../../../contracts/index.js';
import { z } from 'zod';
import type { Db } from '../../platform/context.js';
import { holds, Lookups, type RoutedFields } from './conditions.js';
import * as repo from './routing.repository.js';

/** What {@link applyRouting} did. */
export interface RoutingOutcome {
  /** True when the ticket row or its watchers changed (the caller reloads the ticket). */
  changed: boolean;
  /** The rules that matched, in order. */
  applied: { id: string; name: string }[];
}

const Stored = z.object({ conditions: z.array(RoutingCondition), actions: RoutingActions });
type Stored = z.infer<typeof Stored>;

/** Parsed rule bodies by `id:version` (a rule's body changes only with its version): no re-parsing per ticket. */
const parsedRules = new Map<string, Stored | null>();

/** A rule's conditions and actions, parsed once per version; null when this version cannot read them. */
export function parseRule(rule: {
  id: string;
  version: number;
  conditions: unknown;
  actions: unknown;
}): Stored | null {
  const key = `${rule.id}:${rule.version}`;
  let parsed = parsedRules.get(key);
  if (parsed === undefined) {
    const r = Stored.safeParse({ conditions: rule.conditions, actions: rule.actions });
    // A body this version cannot read (written by a newer one) is skipped, not guessed at.
    parsed = r.success ? r.data : null;
    if (parsedRules.size > 5_000) parsedRules.clear();
    parsedRules.set(key, parsed);
  }
  return parsed;
}

/**
 * The pure turn-taking rule. `candidates` are the available members in id order; round-robin takes the first
 * after `last` (wrapping around), fewest-open the fewest `open` tickets, ties in that same round-robin order.
 */
export function nextInTurn(
  candidates: readonly { id: string; open: number }[],
  last: string | null,
  strategy: 'round_robin' | 'fewest_open',
): string | undefined {
  const start = last === null ? 0 : candidates.findIndex((c) => c.id > last);
  const order = start <= 0 ? candidates : [...candidates.slice(start), ...candidates.slice(0, start)];
  let pick = order[0];
  if (strategy === 'fewest_open') {
    for (const c of order) if (pick && c.open < pick.open) pick = c;
  }
  return pick?.id;
}

/**
 * Picks the next member of a team by its strategy ({@link nextInTurn}), skipping members who are away,
 * inactive or requesters. The team row is locked so concurrent creations take turns. Undefined when the team
 * shares no work automatically or nobody is available.
 */
export async function pickAssignee(
  db: Db,
  teamId: string,
): Promise<{ userId: string; strategy: AssignmentStrategy } | undefined> {
  const team = await repo.lockTeamAssignment(db, teamId);
  if (!team || team.assignment === 'none') return undefined;
  const all = await repo.candidates(db, teamId, team.assignment === 'fewest_open');
  const pick = nextInTurn(all, team.last_assignee_id, team.assignment);
  if (pick === undefined) return undefined;
  await repo.setLastAssignee(db, teamId, pick);
  return { userId: pick, strategy: team.assignment };
}

/** The enabled rules in order, read once for a batch of creations ({@link applyRouting}). */
export type EnabledRules = readonly repo.RuleRow[];

/** Reads the enabled rules in their order. */
export async function enabledRules(db: Db): Promise<EnabledRules> {
  return repo.listRules(db, true);
}

/**
 * Routes a ticket just created, in the creating transaction: evaluates the enabled rules in order (all
 * conditions of a rule must hold; a rule with `stop` ends the evaluation when it matches, so by default the
 * first match wins), applies their actions to fields nobody has set yet, assigns inside the team by its
 * strategy, adds watchers, and writes one `routing` timeline event per matching rule. Conditions see the
 * fields as earlier rules left them. A rule naming a team, agent, category or watcher that no longer exists
 * or cannot take work skips that action (noted in the event) rather than failing the creation; a database
 * error propagates, so the creation rolls back as a whole and no ticket is half-routed.
 */
export async function applyRouting(db: Db, ticket: Ticket, rules?: EnabledRules): Promise<RoutingOutcome> {
  rules ??= await enabledRules(db);
  const outcome: RoutingOutcome = { changed: false, applied: [] };
  if (rules.length === 0) return outcome;
  const t: RoutedFields & {
    teamId: string | null;
    assigneeId: string | null;
    priority: number;
    priorityOverridden: boolean;
  } = {
    ...ticket,
  };
  // Whatever the creator set by hand, or an earlier matching rule set, stays.
  const taken = {
    team: ticket.teamId !== null,
    assignee: ticket.assigneeId !== null,
    category: ticket.categoryId !== null,
    priority: ticket.priorityOverridden,
  };
  const look = new Lookups(db);
  const watchers = new Set<string>();
  for (const rule of rules) {
    const parsed = parseRule(rule);
    if (!parsed) continue;
    const { conditions, actions: a } = parsed;
    let all = true;
    for (const c of conditions) {
      if (!(await holds(db, c, t, look))) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    const changes: Record<string, unknown> = {};
    const skipped: string[] = [];
    if (a.setCategory !== undefined && !taken.category) {
      if ((await repo.existing(db, 'category', [a.setCategory])).size === 1) {
        t.categoryId = changes.categoryId = a.setCategory;
        taken.category = true;
      } else skipped.push('setCategory: the category no longer exists');
    }
    if (a.setPriority !== undefined && !taken.priority) {
      t.priority = changes.priority = a.setPriority;
      t.priorityOverridden = true;
      taken.priority = true;
    }
    let teamSetHere = false;
    let teamStrategy: AssignmentStrategy | undefined;
    if (a.setTeam !== undefined && !taken.team) {
      teamStrategy = await repo.teamStrategy(db, a.setTeam);
      if (teamStrategy === undefined) skipped.push('setTeam: the team no longer exists');
      else if (t.assigneeId !== null && !(await repo.isMember(db, a.setTeam, t.assigneeId))) {
        skipped.push('setTeam: the assignee set at creation is not a member of the team');
      } else {
        t.teamId = changes.teamId = a.setTeam;
        taken.team = teamSetHere = true;
      }
    }
    if (a.setAgent !== undefined && !taken.assignee) {
      const ok =
        t.teamId === null
          ? await repo.isAvailableAgent(db, a.setAgent)
          : await repo.isAvailableMember(db, t.teamId, a.setAgent);
      if (ok) {
        t.assigneeId = changes.assigneeId = a.setAgent;
        taken.assignee = true;
      } else skipped.push('setAgent: the agent is away, inactive or not in the ticket’s team');
    }
    if (teamSetHere && teamStrategy !== 'none' && !taken.assignee && t.teamId !== null) {
      const pick = await pickAssignee(db, t.teamId);
      if (pick) {
        t.assigneeId = changes.assigneeId = pick.userId;
        changes.assignedBy = pick.strategy;
        taken.assignee = true;
      }
    }
    if (changes.assigneeId !== undefined && ticket.status === 'new') changes.status = 'assigned';
    if (a.addWatchers) {
      const ok = await repo.existing(db, 'user', a.addWatchers);
      const added = a.addWatchers.filter((id) => ok.has(id) && !watchers.has(id));
      for (const id of added) watchers.add(id);
      if (added.length > 0) changes.watcherIds = added;
      if (ok.size < new Set(a.addWatchers).size) skipped.push('addWatchers: some users are gone or inactive');
    }
    await repo.insertRoutingEvent(db, ticket.id, {
      ruleId: rule.id,
      ruleName: rule.name,
      changes,
      ...(skipped.length > 0 ? { skipped } : {}),
    });
    outcome.applied.push({ id: rule.id, name: rule.name });
    if (rule.stop) break;
  }
  const rowChanged =
    t.teamId !== ticket.teamId ||
    t.assigneeId !== ticket.assigneeId ||
    t.categoryId !== ticket.categoryId ||
    t.priority !== ticket.priority ||
    t.priorityOverridden !== ticket.priorityOverridden;
  if (rowChanged) {
    await repo.routeTicket(db, ticket.id, {
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      categoryId: t.categoryId,
      priority: t.priority,
      priorityOverride: t.priorityOverridden,
    });
  }
  await repo.addWatchers(db, ticket.id, [...watchers]);
  outcome.changed = rowChanged || watchers.size > 0;
  return outcome;
}
