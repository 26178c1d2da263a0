import { z } from 'zod';
import { Line } from './common.js';
import { Priority, TicketType } from './tickets.js';

const Ids = (max: number) =>
  z
    .array(z.uuid({ message: 'must be a UUID' }))
    .min(1, 'name at least one')
    .max(max, `at most ${max}`);

/**
 * One condition of a routing rule; a rule matches when all its conditions hold (none: every ticket).
 * `category` matches the category or, with `includeSubcategories` (default), any category below it.
 * `words` matches whole words or phrases, case-insensitively, in the title, the description or either.
 * `requesterTeam` matches when the requester belongs to one of the teams. `asset` matches tickets linked to
 * one of the assets; it is accepted only once the CMDB provides a matcher (400 until then).
 */
export const RoutingCondition = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('type'), in: z.array(TicketType).min(1).max(3) }),
  z.strictObject({
    field: z.literal('category'),
    in: Ids(50),
    includeSubcategories: z.boolean().default(true),
  }),
  z.strictObject({
    field: z.literal('words'),
    words: z.array(Line(100)).min(1).max(50),
    match: z.enum(['any', 'all']).default('any'),
    in: z.enum(['title', 'description', 'title_or_description']).default('title_or_description'),
  }),
  z.strictObject({ field: z.literal('requesterTeam'), in: Ids(50) }),
  z.strictObject({ field: z.literal('asset'), in: Ids(50) }),
]);
export type RoutingCondition = z.infer<typeof RoutingCondition>;

/**
 * What a matching rule does. A rule never overwrites what the ticket's creator set by hand (team, assignee,
 * category, a priority override), nor what an earlier matching rule set. Setting a team without an agent
 * assigns inside the team by its strategy (round-robin or fewest open tickets), skipping agents marked away.
 */
export const RoutingActions = z
  .strictObject({
    setTeam: z.uuid().optional(),
    setAgent: z.uuid().optional(),
    setPriority: Priority.optional(),
    setCategory: z.uuid().optional(),
    addWatchers: Ids(20).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), 'a rule needs at least one action');
export type RoutingActions = z.infer<typeof RoutingActions>;

/** A routing rule as the API shows it; rules are evaluated in `position` order. */
export const RoutingRule = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
  /** Stop evaluating later rules once this one matched (default true: first match wins). */
  stop: z.boolean(),
  conditions: z.array(RoutingCondition),
  actions: RoutingActions,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;
export const RoutingRuleList = z.object({ items: z.array(RoutingRule) });

/** POST /api/v1/routing-rules: appended after the last rule unless `position` (1-based) says where. */
export const CreateRoutingRule = z.strictObject({
  name: Line(200),
  enabled: z.boolean().default(true),
  stop: z.boolean().default(true),
  conditions: z.array(RoutingCondition).max(20).default([]),
  actions: RoutingActions,
  position: z.number().int().min(1).optional(),
});
export type CreateRoutingRule = z.infer<typeof CreateRoutingRule>;

/** PATCH /api/v1/routing-rules/:id (If-Match). */
export const UpdateRoutingRule = z.strictObject({
  name: Line(200).optional(),
  enabled: z.boolean().optional(),
  stop: z.boolean().optional(),
  conditions: z.array(RoutingCondition).max(20).optional(),
  actions: RoutingActions.optional(),
});
export type UpdateRoutingRule = z.infer<typeof UpdateRoutingRule>;

/** PUT /api/v1/routing-rules/order: every rule id exactly once, in the new order. */
export const ReorderRoutingRules = z.strictObject({ ids: z.array(z.uuid()).max(500) });
export type ReorderRoutingRules = z.infer<typeof ReorderRoutingRules>;

/** How a team shares automatically assigned work among its members who are not away. */
export const AssignmentStrategy = z.enum(['none', 'round_robin', 'fewest_open']);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategy>;
export const TeamAssignment = z.strictObject({ strategy: AssignmentStrategy });
export type TeamAssignment = z.infer<typeof TeamAssignment>;

/** An agent's away flag: agents marked away get no automatic assignments. */
export const AwayStatus = z.strictObject({ away: z.boolean() });
export type AwayStatus = z.infer<typeof AwayStatus>;

/**
 * POST /api/v1/routing-rules/test (admins): a sample ticket to route without creating it. Nothing is written;
 * `asset` conditions never match a sample (it links no assets).
 */
export const RoutingSample = z.strictObject({
  type: TicketType.default('incident'),
  title: Line(200),
  description: z.string().max(20_000).default(''),
  categoryId: z.uuid({ message: 'must be a UUID' }).optional(),
  requesterId: z.uuid({ message: 'must be a UUID' }).optional(),
});
export type RoutingSample = z.infer<typeof RoutingSample>;

/** How the enabled rules would route the sample: each rule in order, and the fields it would end with. */
export const RoutingTestResult = z.object({
  rules: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      /** `matched`: all conditions held; `no_match`: one did not; `not_reached`: an earlier rule stopped. */
      outcome: z.enum(['matched', 'no_match', 'not_reached']),
      /** Whether each condition held, in the rule's order (empty when not reached). */
      conditions: z.array(z.boolean()),
      /** Actions that would be skipped, in words (a gone team, an away agent, a field an earlier rule set). */
      skipped: z.array(z.string()),
    }),
  ),
  result: z.object({
    teamId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    /** The team's strategy when it would pick the assignee itself (who depends on whose turn it is). */
    assignedBy: AssignmentStrategy.nullable(),
    categoryId: z.uuid().nullable(),
    /** Null: the matrix decides (no rule sets a priority). */
    priority: Priority.nullable(),
    watcherIds: z.array(z.uuid()),
  }),
});
export type RoutingTestResult = z.infer<typeof RoutingTestResult>;
