import { z } from 'zod';
import { Line, PageQuery } from './common.js';
import { Markdown } from './tickets.js';

/** Standard: from a pre-approved template, no approval; normal: assessed and approved; emergency: expedited. */
export const ChangeType = z.enum(['standard', 'normal', 'emergency']);
export type ChangeType = z.infer<typeof ChangeType>;

/** Where a change is in its life. */
export const ChangeStatus = z.enum([
  'draft',
  'assessment',
  'authorisation',
  'scheduled',
  'implementing',
  'review',
  'closed',
  'cancelled',
  'rejected',
]);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

/**
 * The change state machine: the moves a person may ask for. `authorisation -> scheduled` and
 * `authorisation -> rejected` happen through the approvers' votes, not by asking.
 */
export const CHANGE_TRANSITIONS: Record<ChangeStatus, readonly ChangeStatus[]> = {
  draft: ['assessment', 'cancelled'],
  assessment: ['draft', 'authorisation', 'scheduled', 'cancelled'],
  authorisation: ['cancelled'],
  scheduled: ['implementing', 'cancelled'],
  implementing: ['review'],
  review: ['closed'],
  closed: [],
  cancelled: [],
  rejected: [],
};

/** How a closed change went. */
export const ChangeOutcome = z.enum(['successful', 'partially_successful', 'failed', 'backed_out']);
export type ChangeOutcome = z.infer<typeof ChangeOutcome>;

export const RiskLevel = z.enum(['low', 'moderate', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** A date-time with an offset (ISO 8601). */
const Instant = z.iso.datetime({ offset: true, message: 'must be a date-time with a time zone (ISO 8601)' });
const Text = (max: number) => Markdown(max).default('');

/** A yes/no question of a template's risk questionnaire: a yes adds `weight` to the score. */
export const RiskQuestion = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a short key (a-z, 0-9, _)'),
  text: Line(300),
  weight: z.number().int().min(1).max(10),
});
export type RiskQuestion = z.infer<typeof RiskQuestion>;

const templateFields = {
  name: Line(200),
  type: ChangeType,
  description: Text(20_000),
  questions: z
    .array(RiskQuestion)
    .max(30)
    .default([])
    .refine((qs) => new Set(qs.map((q) => q.key)).size === qs.length, 'question keys must differ'),
  implementationPlan: Text(20_000),
  testPlan: Text(20_000),
  backoutPlan: Text(20_000),
  active: z.boolean().default(true),
};
export const CreateChangeTemplate = z.strictObject(templateFields);
export type CreateChangeTemplate = z.input<typeof CreateChangeTemplate>;
export const UpdateChangeTemplate = z.strictObject({
  name: templateFields.name.optional(),
  description: Markdown(20_000).optional(),
  questions: templateFields.questions.optional(),
  implementationPlan: Markdown(20_000).optional(),
  testPlan: Markdown(20_000).optional(),
  backoutPlan: Markdown(20_000).optional(),
  active: z.boolean().optional(),
});
export type UpdateChangeTemplate = z.input<typeof UpdateChangeTemplate>;
export const ChangeTemplate = z.object({
  id: z.uuid(),
  name: z.string(),
  type: ChangeType,
  description: z.string(),
  questions: z.array(RiskQuestion),
  implementationPlan: z.string(),
  testPlan: z.string(),
  backoutPlan: z.string(),
  active: z.boolean(),
  version: z.number().int(),
});
export type ChangeTemplate = z.infer<typeof ChangeTemplate>;

/** How a level's team decides: anyone, everyone, more than half, or at least `count` of its members. */
export const ApprovalRule = z.enum(['any', 'all', 'majority', 'at_least']);
export type ApprovalRule = z.infer<typeof ApprovalRule>;
export const ApprovalLevelInput = z
  .strictObject({
    teamId: z.uuid({ message: 'must be a team id' }),
    rule: ApprovalRule,
    count: z.number().int().min(1).max(100).optional(),
  })
  .refine((l) => (l.rule === 'at_least') === (l.count !== undefined), {
    message: 'count is given with the at_least rule, and only with it',
    path: ['count'],
  });
export const ApprovalRouteName = z.enum(['low', 'moderate', 'high', 'emergency']);
export type ApprovalRouteName = z.infer<typeof ApprovalRouteName>;
export const UpdateApprovalRoute = z.strictObject({
  levels: z.array(ApprovalLevelInput).max(5, 'at most 5 levels'),
});
export type UpdateApprovalRoute = z.infer<typeof UpdateApprovalRoute>;
export const ApprovalRoute = z.object({
  route: ApprovalRouteName,
  levels: z.array(
    z.object({ teamId: z.uuid(), teamName: z.string(), rule: ApprovalRule, count: z.number().optional() }),
  ),
  version: z.number().int(),
});
export type ApprovalRoute = z.infer<typeof ApprovalRoute>;

/** A blackout override: why this change may run in a freeze. */
const Override = z.strictObject({ reason: Line(2000) });

const changeFields = {
  title: Line(200),
  description: Text(20_000),
  implementationPlan: Markdown(20_000),
  testPlan: Markdown(20_000),
  backoutPlan: Markdown(20_000),
  plannedStart: Instant.nullable(),
  plannedEnd: Instant.nullable(),
  implementerId: z.uuid({ message: 'must be a user id' }).nullable(),
  teamId: z.uuid({ message: 'must be a team id' }).nullable(),
  itemIds: z.array(z.uuid({ message: 'must be an item id' })).max(200, 'at most 200 items'),
  answers: z.record(z.string().max(40), z.boolean()),
  blackoutOverride: Override.nullable(),
};
const windowOrder = (c: { plannedStart?: string | null; plannedEnd?: string | null }) =>
  !c.plannedStart || !c.plannedEnd || Date.parse(c.plannedEnd) > Date.parse(c.plannedStart);
const windowMessage = { message: 'must be after the planned start', path: ['plannedEnd'] };

export const CreateChange = z
  .strictObject({
    type: ChangeType.optional(),
    templateId: z.uuid({ message: 'must be a template id' }).optional(),
    title: changeFields.title,
    description: changeFields.description,
    implementationPlan: changeFields.implementationPlan.optional(),
    testPlan: changeFields.testPlan.optional(),
    backoutPlan: changeFields.backoutPlan.optional(),
    plannedStart: changeFields.plannedStart.default(null),
    plannedEnd: changeFields.plannedEnd.default(null),
    implementerId: changeFields.implementerId.default(null),
    teamId: changeFields.teamId.default(null),
    itemIds: changeFields.itemIds.default([]),
    answers: changeFields.answers.default({}),
    blackoutOverride: changeFields.blackoutOverride.default(null),
  })
  .refine((c) => c.type !== undefined || c.templateId !== undefined, {
    message: 'give a type or a template',
    path: ['type'],
  })
  .refine(windowOrder, windowMessage);
export type CreateChange = z.input<typeof CreateChange>;

export const UpdateChange = z
  .strictObject({
    title: changeFields.title.optional(),
    description: Markdown(20_000).optional(),
    implementationPlan: changeFields.implementationPlan.optional(),
    testPlan: changeFields.testPlan.optional(),
    backoutPlan: changeFields.backoutPlan.optional(),
    plannedStart: changeFields.plannedStart.optional(),
    plannedEnd: changeFields.plannedEnd.optional(),
    implementerId: changeFields.implementerId.optional(),
    teamId: changeFields.teamId.optional(),
    itemIds: changeFields.itemIds.optional(),
    answers: changeFields.answers.optional(),
    blackoutOverride: changeFields.blackoutOverride.optional(),
  })
  .refine(windowOrder, windowMessage);
export type UpdateChange = z.input<typeof UpdateChange>;

/** POST /api/v1/changes/:id/transitions. */
export const ChangeTransition = z
  .strictObject({
    to: ChangeStatus,
    outcome: ChangeOutcome.optional(),
    lessons: Markdown(20_000).optional(),
    /**
     * Implementing without a restore point of the change's backed-up items (their agents out of reach, or a
     * snapshot that failed): why. Needs the override permission; audited.
     */
    withoutRestorePoint: Override.optional(),
  })
  .refine((t) => t.to === 'closed' || (t.outcome === undefined && t.lessons === undefined), {
    message: 'an outcome and lessons are given when closing',
    path: ['outcome'],
  })
  .refine((t) => t.to === 'implementing' || t.withoutRestorePoint === undefined, {
    message: 'only a move to implementing goes without a restore point',
    path: ['withoutRestorePoint'],
  });
export type ChangeTransition = z.infer<typeof ChangeTransition>;

/** POST /api/v1/changes/:id/approvals: the caller's vote on the level waiting for their team. */
export const ChangeVote = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: Markdown(2000).default(''),
    /** A delegate votes in this approver's place (the approver's delegation must cover now). */
    onBehalfOf: z.uuid().optional(),
  })
  .refine((v) => v.decision === 'approve' || v.reason.trim().length > 0, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });
export type ChangeVote = z.input<typeof ChangeVote>;

/** An approver away: the delegate votes in their place during [startsAt, endsAt). */
export const ChangeDelegation = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  userName: z.string(),
  delegateId: z.uuid(),
  delegateName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  createdBy: z.string(),
});
export type ChangeDelegation = z.infer<typeof ChangeDelegation>;

/** POST /api/v1/change-delegations: the caller's own (admins may name `userId`). */
export const CreateChangeDelegation = z
  .strictObject({
    userId: z.uuid().optional(),
    delegateId: z.uuid({ message: 'must be a user id' }),
    startsAt: Instant,
    endsAt: Instant,
    reason: z.string().trim().max(500).default(''),
  })
  .refine((d) => Date.parse(d.endsAt) > Date.parse(d.startsAt), {
    message: 'must be after the start',
    path: ['endsAt'],
  });
export type CreateChangeDelegation = z.input<typeof CreateChangeDelegation>;

/** The values a reason's or a conflict's message is built from (names, counts, dates), for translation. */
export const MessageParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = z.infer<typeof MessageParams>;

/**
 * What a risk reason says, for a translated rendering with its `params`: a yes to a question (`question`), no
 * items named, the business services affected (`count`, `names`, `more`), the people owning affected items
 * (`count`), open incidents (`count`, `atLeast` 1|0, `keys`), other changes (`count`), a blackout (`names`,
 * `more`), items without a recent backup (`names`, `more`); `other` for reasons stored before the codes.
 */
export const RiskReasonCode = z.enum([
  'question',
  'no_items',
  'services',
  'owners',
  'incidents',
  'other_changes',
  'blackout',
  'no_backup',
  'other',
]);
export type RiskReasonCode = z.infer<typeof RiskReasonCode>;

/** Why a change is (or is not) risky: its code and values, the line in English, and the points it added. */
export const RiskReason = z.object({
  code: RiskReasonCode,
  params: MessageParams,
  text: z.string(),
  points: z.number().int(),
});
export type RiskReason = z.infer<typeof RiskReason>;

/**
 * Something the change collides with: its `kind` and `params` for a translated rendering (`change`, `title`,
 * `item`, `side` upstream|downstream, `name`, `start`, `end`, as the kind has them), and `message` in English.
 */
export const ChangeConflict = z.object({
  kind: z.enum(['same_item', 'related_item', 'outside_maintenance', 'blackout', 'implementer_booked']),
  params: MessageParams,
  message: z.string(),
  changeId: z.uuid().nullable(),
  changeKey: z.string().nullable(),
});
export type ChangeConflict = z.infer<typeof ChangeConflict>;

export const ChangeApprovalLevel = z.object({
  level: z.number().int(),
  teamId: z.uuid(),
  teamName: z.string(),
  rule: ApprovalRule,
  required: z.number().int(),
  status: z.enum(['waiting', 'pending', 'approved', 'rejected']),
  votes: z.array(
    z.object({
      by: z.string(),
      /** The delegate who cast the vote in the approver's place, if one did. */
      castBy: z.string().nullable(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string(),
      at: z.string(),
    }),
  ),
});

export const ChangeTask = z.object({
  id: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
});
export type ChangeTask = z.infer<typeof ChangeTask>;
export const CreateChangeTask = z.strictObject({
  title: Line(200),
  teamId: z.uuid({ message: 'must be a team id' }).nullable().default(null),
});
export type CreateChangeTask = z.input<typeof CreateChangeTask>;
export const UpdateChangeTask = z.strictObject({ done: z.boolean() });
export const TaskParams = z.strictObject({ id: z.uuid(), taskId: z.uuid() });

/** POST /api/v1/changes/:id/links: an incident the change caused or a problem it fixes. */
export const ChangeLinkInput = z.strictObject({
  ticketId: z.uuid({ message: 'must be a ticket id' }),
  kind: z.enum(['caused', 'fixes']),
});
export type ChangeLinkInput = z.infer<typeof ChangeLinkInput>;

/**
 * A restore point of a change: the snapshot Steward asked the item's agent for before implementing
 * (`requested` until the agent answers), and the restore asked for from the change's page.
 */
export const ChangeRestorePoint = z.object({
  ciId: z.uuid(),
  ciName: z.string(),
  state: z.enum(['requested', 'taken', 'failed']),
  snapshotId: z.string().nullable(),
  error: z.string().nullable(),
  requestedAt: z.string(),
  takenAt: z.string().nullable(),
  restoreId: z.uuid().nullable(),
  restoreState: z.string().nullable(),
});
export type ChangeRestorePoint = z.infer<typeof ChangeRestorePoint>;

/** POST /api/v1/changes/:id/restore-points/:ciId/restore: put the item back as its restore point had it. */
export const RestoreChangePoint = z.strictObject({
  /** Where on the item: `/` puts every file back where it was. */
  destinationFolder: Line(4096)
    .refine((s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s), 'must be an absolute folder')
    .default('/'),
  overwrite: z.enum(['never', 'if-newer', 'always']).default('always'),
});
export type RestoreChangePoint = z.input<typeof RestoreChangePoint>;

export const RestorePointParams = z.strictObject({ id: z.uuid(), ciId: z.uuid() });

/** A change as the API shows it. */
export const Change = z.object({
  id: z.uuid(),
  key: z.string().describe('e.g. CHG-42'),
  number: z.number().int(),
  type: ChangeType,
  templateId: z.uuid().nullable(),
  templateName: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  status: ChangeStatus,
  outcome: ChangeOutcome.nullable(),
  lessons: z.string(),
  risk: RiskLevel.nullable(),
  riskScore: z.number().int().nullable(),
  riskReasons: z.array(RiskReason),
  questions: z.array(RiskQuestion),
  answers: z.record(z.string(), z.boolean()),
  implementationPlan: z.string(),
  testPlan: z.string(),
  backoutPlan: z.string(),
  plannedStart: z.string().nullable(),
  plannedEnd: z.string().nullable(),
  implementerId: z.uuid().nullable(),
  implementerName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  items: z.array(z.object({ id: z.uuid(), name: z.string() })),
  blackoutOverride: z.object({ reason: z.string(), by: z.string() }).nullable(),
  rejectionReason: z.string().nullable(),
  requestedBy: z.string(),
  /** Items Steward keeps backups of: implementing waits for a restore point of each (or a waiver). */
  restorePoints: z.array(ChangeRestorePoint),
  restorePointWaiver: z.object({ reason: z.string(), by: z.string() }).nullable(),
  conflicts: z.array(ChangeConflict),
  approvals: z.array(ChangeApprovalLevel),
  tasks: z.array(ChangeTask),
  links: z.array(z.object({ ticketId: z.uuid(), key: z.string(), title: z.string(), kind: z.string() })),
  allowedTransitions: z.array(ChangeStatus),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Change = z.infer<typeof Change>;

/** A change in a list or on the calendar. */
export const ChangeSummary = Change.pick({
  id: true,
  key: true,
  type: true,
  title: true,
  status: true,
  risk: true,
  plannedStart: true,
  plannedEnd: true,
  implementerName: true,
});
export type ChangeSummary = z.infer<typeof ChangeSummary>;

/** GET /api/v1/changes: newest first, by status, or those planned in [from, to). */
export const ChangeQuery = PageQuery.extend({
  status: ChangeStatus.optional(),
  /** One change by its key (CHG-42). */
  key: z
    .string()
    .regex(/^CHG-[1-9]\d{0,8}$/i, 'must be a change key like CHG-42')
    .optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  /** Those of one team, or from one template (what a success rate counts). */
  teamId: z.uuid({ message: 'must be a team id' }).optional(),
  templateId: z.uuid({ message: 'must be a template id' }).optional(),
  /** Closed changes with this outcome. */
  outcome: ChangeOutcome.optional(),
  /** Changes closed in [closedFrom, closedTo). */
  closedFrom: Instant.optional(),
  closedTo: Instant.optional(),
});
export type ChangeQuery = z.infer<typeof ChangeQuery>;

const windowFields = {
  kind: z.enum(['maintenance', 'blackout']),
  name: Line(200),
  ciId: z.uuid({ message: 'must be an item id' }).nullable().default(null),
  startsAt: Instant,
  endsAt: Instant,
};
export const CreateChangeWindow = z
  .strictObject(windowFields)
  .refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), {
    message: 'must be after the start',
    path: ['endsAt'],
  })
  .refine((w) => w.kind === 'blackout' || w.ciId !== null, {
    message: 'a maintenance window is for an item',
    path: ['ciId'],
  });
export type CreateChangeWindow = z.input<typeof CreateChangeWindow>;
export const UpdateChangeWindow = z.strictObject({
  name: windowFields.name.optional(),
  startsAt: Instant.optional(),
  endsAt: Instant.optional(),
});
export type UpdateChangeWindow = z.input<typeof UpdateChangeWindow>;
export const ChangeWindow = z.object({
  id: z.uuid(),
  kind: z.enum(['maintenance', 'blackout']),
  name: z.string(),
  ciId: z.uuid().nullable(),
  ciName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  version: z.number().int(),
});
export type ChangeWindow = z.infer<typeof ChangeWindow>;

/** GET /api/v1/change-calendar?from&to: changes planned, windows and blackouts in the range (at most 93 days). */
export const CalendarQuery = z
  .strictObject({ from: Instant, to: Instant })
  .refine(
    (q) => Date.parse(q.to) > Date.parse(q.from) && Date.parse(q.to) - Date.parse(q.from) <= 93 * 86_400_000,
    { message: 'must be after from, at most 93 days later', path: ['to'] },
  );
export const Calendar = z.object({ changes: z.array(ChangeSummary), windows: z.array(ChangeWindow) });
export type Calendar = z.infer<typeof Calendar>;

/** One row of the success rates: closed changes, how many ended each way, and the share successful. */
const Rate = z.object({
  closed: z.number().int(),
  successful: z.number().int(),
  partiallySuccessful: z.number().int(),
  failed: z.number().int(),
  backedOut: z.number().int(),
  rate: z.number(),
});
/** GET /api/v1/change-stats?from&to: the changes closed in [from, to) (any time when not given). */
export const ChangeStatsQuery = z
  .strictObject({ from: Instant.optional(), to: Instant.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), {
    message: 'must be after from',
    path: ['to'],
  });
export type ChangeStatsQuery = z.infer<typeof ChangeStatsQuery>;
/** GET /api/v1/change-stats: the success rate of closed changes per team and per template. */
export const ChangeStats = z.object({
  teams: z.array(Rate.extend({ teamId: z.uuid(), teamName: z.string() })),
  templates: z.array(Rate.extend({ templateId: z.uuid(), templateName: z.string() })),
});
export type ChangeStats = z.infer<typeof ChangeStats>;
