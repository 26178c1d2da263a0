import { z } from 'zod';
import { Email, Line, PageQuery } from './common.js';
import { Markdown } from './tickets.js';

/** Minutes of a recovery target or a step's duration: 1 minute to a year. */
const Minutes = z.number().int().min(1, 'must be at least 1 minute').max(525_600, 'must be at most a year');
/** A calendar day. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'must be a date that exists',
  );
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    );

/** A runbook step: what to do (Markdown), who does it, how long it should take, the items it restores. */
export const DrPlanStepInput = z.strictObject({
  title: Line(200),
  body: Markdown(20_000).default(''),
  ownerId: z.uuid({ message: 'must be a user id' }).nullable().default(null),
  expectedMinutes: Minutes.nullable().default(null),
  items: z
    .array(z.uuid({ message: 'must be an item id' }))
    .max(500)
    .default([]),
});
export type DrPlanStepInput = z.input<typeof DrPlanStepInput>;

/** Someone to call: a user of Steward, or a name with a role, phone and e-mail. */
export const DrPlanContactInput = z.strictObject({
  name: Line(200),
  role: Optional(200).default(''),
  phone: Optional(50).default(''),
  email: z.union([z.literal(''), Email]).default(''),
  userId: z.uuid({ message: 'must be a user id' }).nullable().default(null),
});
export type DrPlanContactInput = z.input<typeof DrPlanContactInput>;

const planFields = {
  /** The business service (an item of a service class) this plan recovers. */
  serviceId: z.uuid({ message: 'must be a business service id' }),
  name: Line(200),
  summary: Markdown(20_000).default(''),
  rtoMinutes: Minutes,
  rpoMinutes: Minutes,
  ownerId: z.uuid({ message: 'must be a user id' }).nullable().default(null),
  reviewDue: Day,
  steps: z.array(DrPlanStepInput).max(200, 'at most 200 steps').default([]),
  contacts: z.array(DrPlanContactInput).max(50, 'at most 50 contacts').default([]),
  /** A person's order for items the CMDB cannot order (members of a dependency cycle), as item ids. */
  manualOrder: z
    .array(z.uuid({ message: 'must be an item id' }))
    .max(1000)
    .default([]),
};

export const CreateDrPlan = z.strictObject(planFields);
export type CreateDrPlan = z.input<typeof CreateDrPlan>;
export const UpdateDrPlan = z.strictObject({
  serviceId: planFields.serviceId.optional(),
  name: planFields.name.optional(),
  summary: Markdown(20_000).optional(),
  rtoMinutes: Minutes.optional(),
  rpoMinutes: Minutes.optional(),
  ownerId: z.uuid({ message: 'must be a user id' }).nullable().optional(),
  reviewDue: Day.optional(),
  steps: z.array(DrPlanStepInput).max(200, 'at most 200 steps').optional(),
  contacts: z.array(DrPlanContactInput).max(50, 'at most 50 contacts').optional(),
  manualOrder: z
    .array(z.uuid({ message: 'must be an item id' }))
    .max(1000)
    .optional(),
});
export type UpdateDrPlan = z.input<typeof UpdateDrPlan>;

const Named = z.object({ id: z.uuid(), name: z.string() });

/** An item of the plan's scope in recovery order, with its last snapshot when it is a computer. */
export const DrPlanOrderItem = z.object({
  ciId: z.uuid(),
  name: z.string(),
  className: z.string(),
  kind: z.string(),
  position: z.number().int(),
  /** Items of one wave need nothing of each other: they can be recovered side by side. */
  wave: z.number().int(),
  /** Names of the items this one needs. */
  needs: z.array(z.string()),
  /** The number (1-based) of the cycle it is part of, or null. */
  cycle: z.number().int().nullable(),
  device: z.boolean(),
  /** For a computer: when its last good snapshot began, and whether that is within the plan's RPO. */
  lastSnapshotAt: z.string().nullable(),
  withinRpo: z.boolean().nullable(),
});
export type DrPlanOrderItem = z.infer<typeof DrPlanOrderItem>;

export const DrPlan = z.object({
  id: z.uuid(),
  name: z.string(),
  summary: z.string(),
  service: Named,
  rtoMinutes: z.number().int(),
  rpoMinutes: z.number().int(),
  owner: Named.nullable(),
  reviewDue: z.string(),
  reviewOverdue: z.boolean(),
  steps: z.array(
    z.object({
      id: z.uuid(),
      position: z.number().int(),
      title: z.string(),
      body: z.string(),
      owner: Named.nullable(),
      expectedMinutes: z.number().int().nullable(),
      items: z.array(Named),
    }),
  ),
  contacts: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      phone: z.string(),
      email: z.string(),
      user: Named.nullable(),
    }),
  ),
  manualOrder: z.array(z.uuid()),
  /** The items in scope, in recovery order. */
  order: z.array(DrPlanOrderItem),
  /** Items that need each other: a person orders them (`ordered` once every member has a place). */
  cycles: z.array(z.object({ number: z.number().int(), items: z.array(Named), ordered: z.boolean() })),
  readiness: z.object({ ready: z.boolean(), reasons: z.array(z.string()) }),
  verification: z.object({
    needed: z.boolean(),
    reasons: z.array(z.string()),
    since: z.string().nullable(),
    lastVerifiedAt: z.string().nullable(),
    lastDrillId: z.uuid().nullable(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type DrPlan = z.infer<typeof DrPlan>;

/** The plans list: a page by name, or the plan named `name` (case-insensitively). */
export const DrPlanQuery = PageQuery.extend({ name: Line(200).optional() });
export type DrPlanQuery = z.infer<typeof DrPlanQuery>;
