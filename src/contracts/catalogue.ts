import { z } from 'zod';
import { Line } from './common.js';
import { Role } from './identity.js';
import { Markdown } from './tickets.js';
import { ApprovalRule } from './changes.js';

const Day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });
const FieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a key is a lower-case letter, then letters, digits or _ (at most 40)');

/** The types of a form field. `user` is a person, `ci` an item from the CMDB, `attachment` a file. */
export const FIELD_TYPES = ['text', 'number', 'date', 'choice', 'user', 'ci', 'attachment'] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

/**
 * When a field is shown (or required): another, earlier field has a value, or one of `equals` (compared as
 * text; for a choice of several, any chosen one).
 */
export const FieldCondition = z.strictObject({
  field: FieldKey,
  equals: z.array(z.string().max(200)).min(1).max(50).optional(),
});
export type FieldCondition = z.infer<typeof FieldCondition>;

/** Whether an answer counts as given (not absent, empty text or an empty list). */
export function isGiven(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

/**
 * Whether `cond` holds for the answers of the fields shown so far: the server checks submissions with it and
 * the request form shows and requires fields with it, so the two cannot disagree.
 */
export function holds(cond: FieldCondition, values: Readonly<Record<string, unknown>>): boolean {
  const v = values[cond.field];
  if (!isGiven(v)) return false;
  if (!cond.equals) return true;
  const texts = Array.isArray(v) ? v.map(String) : [String(v)];
  return texts.some((t) => cond.equals?.includes(t));
}

const Choice = z.strictObject({ value: Line(100), label: Line(200) });

const common = {
  key: FieldKey,
  label: Line(200),
  help: z.string().trim().max(500).optional(),
  required: z.boolean().default(false),
  showWhen: FieldCondition.optional(),
  requiredWhen: FieldCondition.optional(),
};

/** One field of an item's form, by type, with its validation. */
export const FormField = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('text'),
    multiline: z.boolean().optional(),
    minLength: z.number().int().min(0).max(10_000).optional(),
    maxLength: z.number().int().min(1).max(10_000).optional(),
    pattern: z
      .string()
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p, 'u');
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression')
      .optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('number'),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    integer: z.boolean().optional(),
  }),
  z.strictObject({ ...common, type: z.literal('date'), min: Day.optional(), max: Day.optional() }),
  z.strictObject({
    ...common,
    type: z.literal('choice'),
    choices: z.array(Choice).min(1).max(100),
    multiple: z.boolean().optional(),
  }),
  z.strictObject({ ...common, type: z.literal('user') }),
  z.strictObject({ ...common, type: z.literal('ci') }),
  z.strictObject({ ...common, type: z.literal('attachment') }),
]);
export type FormField = z.infer<typeof FormField>;
export type FormFieldInput = z.input<typeof FormField>;

/** Problems of a form definition as a whole (keys, ranges, conditions naming earlier fields), by path. */
export function formProblems(fields: readonly FormField[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const seen = new Map<string, FormField>();
  fields.forEach((f, i) => {
    const at = `fields.${i}`;
    if (seen.has(f.key)) out.push({ path: `${at}.key`, message: `the key ${f.key} is used twice` });
    if (
      f.type === 'text' &&
      f.minLength !== undefined &&
      f.maxLength !== undefined &&
      f.minLength > f.maxLength
    )
      out.push({ path: `${at}.minLength`, message: 'more than maxLength' });
    if (
      (f.type === 'number' || f.type === 'date') &&
      f.min !== undefined &&
      f.max !== undefined &&
      f.min > f.max
    )
      out.push({ path: `${at}.min`, message: 'more than max' });
    if (f.type === 'choice' && new Set(f.choices.map((c) => c.value)).size !== f.choices.length)
      out.push({ path: `${at}.choices`, message: 'a value is offered twice' });
    for (const c of ['showWhen', 'requiredWhen'] as const) {
      const cond = f[c];
      if (cond && !seen.has(cond.field))
        out.push({ path: `${at}.${c}.field`, message: `names no earlier field (${cond.field})` });
    }
    seen.set(f.key, f);
  });
  return out;
}

/** Who may request an item: everyone, people of some roles, or members of some teams. */
export const ItemAudience = z.enum(['everyone', 'roles', 'teams']);
export type ItemAudience = z.infer<typeof ItemAudience>;

/** One approval level: the requester's manager, or a team under a rule. */
export const ApprovalLevelDef = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manager') }),
  z.strictObject({
    kind: z.literal('team'),
    teamId: z.uuid({ message: 'must be a team id' }),
    rule: ApprovalRule,
    count: z.number().int().min(1).max(100).optional(),
  }),
]);
export type ApprovalLevelDef = z.infer<typeof ApprovalLevelDef>;

/** One fulfilment task: what a team does, in order. */
export const TaskDef = z.strictObject({ title: Line(200), teamId: z.uuid({ message: 'must be a team id' }) });
export type TaskDef = z.infer<typeof TaskDef>;

const itemFields = {
  name: Line(200),
  category: z.string().trim().max(100).optional(),
  description: Markdown(20_000).optional(),
  active: z.boolean().optional(),
  audience: ItemAudience,
  roles: z.array(Role).max(4).optional(),
  teamIds: z
    .array(z.uuid({ message: 'must be a team id' }))
    .max(50)
    .optional(),
  slaPolicyId: z.uuid({ message: 'must be an SLA policy id' }).nullable().optional(),
  fields: z.array(FormField).max(50, 'at most 50 fields').optional(),
  approvals: z.array(ApprovalLevelDef).max(10, 'at most 10 levels').optional(),
  tasks: z.array(TaskDef).max(20, 'at most 20 tasks').optional(),
};

/** POST /api/v1/catalogue/items and PUT /api/v1/catalogue/items/:id: an item as a whole. */
export const SaveItem = z.strictObject(itemFields).superRefine((v, ctx) => {
  if ((v.audience === 'roles') !== Boolean(v.roles?.length))
    ctx.addIssue({ code: 'custom', path: ['roles'], message: 'roles are given with the roles audience' });
  if ((v.audience === 'teams') !== Boolean(v.teamIds?.length))
    ctx.addIssue({ code: 'custom', path: ['teamIds'], message: 'teams are given with the teams audience' });
  for (const p of formProblems(v.fields ?? []))
    ctx.addIssue({ code: 'custom', path: p.path.split('.'), message: p.message });
  v.approvals?.forEach((a, i) => {
    if (a.kind === 'team' && (a.rule === 'at_least') !== (a.count !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['approvals', i, 'count'],
        message: 'count is given with the at_least rule, and only with it',
      });
  });
});
export type SaveItem = z.input<typeof SaveItem>;

/** An item as the API shows it (the form, approvals and tasks only to those who manage the catalogue). */
export const CatalogueItem = z.object({
  id: z.uuid(),
  name: z.string(),
  category: z.string(),
  description: z.string(),
  active: z.boolean(),
  audience: ItemAudience,
  roles: z.array(Role),
  teamIds: z.array(z.uuid()),
  teamNames: z.array(z.string()),
  slaPolicyId: z.uuid().nullable(),
  slaPolicyName: z.string().nullable(),
  fields: z.array(FormField),
  approvals: z.array(
    z.object({
      kind: z.enum(['manager', 'team']),
      teamId: z.uuid().optional(),
      teamName: z.string().optional(),
      rule: ApprovalRule.optional(),
      count: z.number().int().optional(),
    }),
  ),
  tasks: z.array(z.object({ title: z.string(), teamId: z.uuid(), teamName: z.string() })),
  version: z.number().int(),
});
export type CatalogueItem = z.infer<typeof CatalogueItem>;

export const ItemQuery = z.strictObject({
  /** `all` (managers of the catalogue only) lists inactive items and those the caller may not request. */
  scope: z.enum(['requestable', 'all']).default('requestable'),
});

/** A file in a request (an attachment field): its name and its bytes in base64. */
export const AttachmentAnswer = z.strictObject({
  fileName: Line(255),
  contentBase64: z
    .string()
    .max(14_000_000, 'at most 10 MB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

/**
 * POST /api/v1/catalogue/items/:id/requests: the form's answers by field key, checked against the item's form
 * on the server (types, ranges, patterns, choices, conditions).
 */
export const SubmitRequest = z.strictObject({
  values: z.record(
    z.string().max(40),
    z.union([
      z.string().max(10_000),
      z.number(),
      z.array(z.string().max(100)).max(100),
      AttachmentAnswer,
      z.null(),
    ]),
  ),
});
export type SubmitRequest = z.input<typeof SubmitRequest>;

export const RequestStatus = z.enum(['approval', 'fulfilment', 'fulfilled', 'rejected', 'cancelled']);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** One answer as shown: the field's label and the value as people read it. */
export const RequestAnswer = z.object({
  key: z.string(),
  label: z.string(),
  type: FieldType,
  value: z.unknown(),
  display: z.string(),
});

export const RequestApproval = z.object({
  level: z.number().int(),
  kind: z.enum(['manager', 'team']),
  group: z.string(),
  rule: ApprovalRule,
  required: z.number().int(),
  voters: z.array(z.object({ id: z.uuid(), name: z.string() })),
  status: z.enum(['waiting', 'pending', 'approved', 'rejected']),
  votes: z.array(
    z.object({
      userName: z.string(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string(),
      at: z.string(),
    }),
  ),
});

export const RequestTask = z.object({
  position: z.number().int(),
  title: z.string(),
  teamId: z.uuid(),
  teamName: z.string(),
  status: z.enum(['waiting', 'open', 'done']),
  note: z.string(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
});

/** A request as the API shows it to those who may see it. */
export const CatalogueRequest = z.object({
  id: z.uuid(),
  key: z.string().describe('e.g. CR-12'),
  itemId: z.uuid(),
  itemName: z.string(),
  requesterId: z.uuid(),
  requesterName: z.string(),
  status: RequestStatus,
  level: z.number().int(),
  ticketId: z.uuid().nullable(),
  ticketKey: z.string().nullable(),
  answers: z.array(RequestAnswer),
  approvals: z.array(RequestApproval),
  tasks: z.array(RequestTask),
  /** Who cancelled the request, when and why (null unless it is cancelled). */
  cancelled: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  /** What the caller may do now. */
  canVote: z.boolean(),
  canCompleteTask: z.number().int().nullable(),
  /** The requester (or a catalogue admin) while the request waits for approval or is being fulfilled. */
  canCancel: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type CatalogueRequest = z.infer<typeof CatalogueRequest>;

export const RequestQuery = z.strictObject({
  /** mine: what I asked for; approvals: waiting for my vote; tasks: open tasks of my teams; all: catalogue managers. */
  scope: z.enum(['mine', 'approvals', 'tasks', 'all']).default('mine'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** POST /api/v1/catalogue/requests/:id/votes: the caller's vote on the level waiting for them. */
export const RequestVote = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: Markdown(2000).default('') })
  .refine((v) => v.decision === 'approve' || v.reason.trim().length > 0, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });
export type RequestVote = z.input<typeof RequestVote>;

/** POST /api/v1/catalogue/requests/:id/cancel: why the request is no longer wanted. */
export const CancelRequest = z.strictObject({
  reason: Markdown(2000).refine((s) => s.trim().length > 0, { message: 'say why the request is cancelled' }),
});
export type CancelRequest = z.input<typeof CancelRequest>;

/** POST /api/v1/catalogue/requests/:id/tasks/:position/complete. */
export const CompleteTask = z.strictObject({ note: Markdown(2000).default('') });
export type CompleteTask = z.input<typeof CompleteTask>;
export const RequestTaskParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  position: z.coerce.number().int().min(1).max(100),
});
