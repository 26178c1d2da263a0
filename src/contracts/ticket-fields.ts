import { z } from 'zod';
import { Line } from './common.js';
import { Markdown, Priority, TicketCountQuery, TicketQuery, TicketType } from './tickets.js';

/** A custom field's key: how the API, the queue filter (`field.<key>=`) and templates name it. */
export const FieldKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    'must be lower-case letters, digits and _ (at most 40), starting with a letter',
  );
export const FieldKind = z.enum(['text', 'number', 'date', 'choice', 'checkbox']);
export type FieldKind = z.infer<typeof FieldKind>;

/** A value as given: text, number, date (YYYY-MM-DD) and choice as JSON strings or numbers, checkbox as boolean. */
export const FieldValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export type FieldValue = z.infer<typeof FieldValue>;
/** Values by field key; `null` clears a value (on change). */
export const FieldValues = z.record(FieldKey, FieldValue.nullable());
export type FieldValues = z.infer<typeof FieldValues>;

const fieldBody = {
  label: Line(100),
  required: z.boolean().default(false),
  types: z.array(TicketType).min(1).max(3),
  /** Only tickets of these categories; empty or absent: every category. */
  categoryIds: z.array(z.uuid()).max(50).default([]),
  /** Asked on the portal and shown to requesters. */
  requesterVisible: z.boolean().default(false),
  position: z.number().int().min(0).max(10_000).default(0),
};

/** Defining a custom field (admins). */
export const CreateTicketField = z.strictObject({
  key: FieldKey,
  kind: FieldKind,
  options: z.array(Line(100)).max(100).default([]),
  ...fieldBody,
});
export type CreateTicketField = z.infer<typeof CreateTicketField>;

/** Changing a field: its key and kind stay (stored values keep their meaning). */
export const UpdateTicketField = z.strictObject({
  label: fieldBody.label.optional(),
  required: z.boolean().optional(),
  types: fieldBody.types.optional(),
  categoryIds: z.array(z.uuid()).max(50).optional(),
  requesterVisible: z.boolean().optional(),
  position: fieldBody.position.optional(),
  options: z.array(Line(100)).max(100).optional(),
});
export type UpdateTicketField = z.infer<typeof UpdateTicketField>;

export const TicketField = z.object({
  id: z.uuid(),
  key: z.string(),
  label: z.string(),
  kind: FieldKind,
  options: z.array(z.string()),
  required: z.boolean(),
  types: z.array(TicketType),
  categoryIds: z.array(z.string()),
  requesterVisible: z.boolean(),
  position: z.number().int(),
  version: z.number().int(),
});
export type TicketField = z.infer<typeof TicketField>;
export const TicketFieldList = z.object({ items: z.array(TicketField) });

/** A ticket's applicable fields with their values (null: not set). */
export const TicketFieldValues = z.object({
  items: z.array(TicketField.extend({ value: FieldValue.nullable() })),
});
export type TicketFieldValues = z.infer<typeof TicketFieldValues>;
export const SetTicketFields = z.strictObject({ fields: FieldValues });

/** A ticket template: what a new ticket starts with. */
export const CreateTicketTemplate = z.strictObject({
  name: Line(100),
  type: TicketType,
  categoryId: z.uuid().nullable().default(null),
  teamId: z.uuid().nullable().default(null),
  priority: Priority.nullable().default(null),
  title: Line(200),
  description: Markdown(20_000).default(''),
  fields: FieldValues.default({}),
});
export type CreateTicketTemplate = z.infer<typeof CreateTicketTemplate>;
export const UpdateTicketTemplate = z.strictObject({
  name: Line(100).optional(),
  type: TicketType.optional(),
  categoryId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  priority: Priority.nullable().optional(),
  title: Line(200).optional(),
  description: Markdown(20_000).optional(),
  fields: FieldValues.optional(),
});
export type UpdateTicketTemplate = z.infer<typeof UpdateTicketTemplate>;
export const TicketTemplate = z.object({
  id: z.uuid(),
  name: z.string(),
  type: TicketType,
  categoryId: z.string().nullable(),
  teamId: z.string().nullable(),
  priority: z.number().int().nullable(),
  title: z.string(),
  description: z.string(),
  fields: z.record(z.string(), FieldValue.nullable()),
  version: z.number().int(),
});
export type TicketTemplate = z.infer<typeof TicketTemplate>;
export const TicketTemplateList = z.object({ items: z.array(TicketTemplate) });

/** A schedule: daily, weekly (day 1 = Monday … 7 = Sunday) or monthly (day 1–28) at a time, or a cron pattern. */
export const RecurrenceRule = z.union([
  z.strictObject({
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    day: z.number().int().min(1).max(28).optional(),
    hour: z.number().int().min(0).max(23).default(8),
    minute: z.number().int().min(0).max(59).default(0),
  }),
  z.strictObject({ cron: Line(100) }),
]);
export type RecurrenceRule = z.infer<typeof RecurrenceRule>;
export const CreateRecurrence = z.strictObject({
  name: Line(100),
  templateId: z.uuid(),
  requesterId: z.uuid(),
  rule: RecurrenceRule,
  timezone: Line(64).default('UTC'),
  enabled: z.boolean().default(true),
});
export type CreateRecurrence = z.infer<typeof CreateRecurrence>;
export const UpdateRecurrence = z.strictObject({
  name: Line(100).optional(),
  requesterId: z.uuid().optional(),
  rule: RecurrenceRule.optional(),
  timezone: Line(64).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRecurrence = z.infer<typeof UpdateRecurrence>;
export const Recurrence = z.object({
  id: z.uuid(),
  name: z.string(),
  templateId: z.string(),
  templateName: z.string(),
  requesterId: z.string(),
  requesterName: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  nextRunAt: z.string(),
  lastRunAt: z.string().nullable(),
  lastTicketKey: z.string().nullable(),
  version: z.number().int(),
});
export type Recurrence = z.infer<typeof Recurrence>;
export const RecurrenceList = z.object({ items: z.array(Recurrence) });

/** Moves `field.<key>=value` query parameters into `fields` (the rest of the query stays strict). */
function liftFieldParams(q: unknown): unknown {
  if (typeof q !== 'object' || q === null) return q;
  const rest: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (k.startsWith('field.')) fields[k.slice(6)] = v;
    else rest[k] = v;
  }
  return Object.keys(fields).length > 0 ? { ...rest, fields } : rest;
}
const FieldFilter = z.record(FieldKey, z.string().max(200)).optional();

/** The ticket list's query string with custom field filters: `field.<key>=value` (exact, canonical value). */
export const TicketListQuery = z.preprocess(liftFieldParams, TicketQuery.extend({ fields: FieldFilter }));
export type TicketListQuery = z.infer<typeof TicketListQuery>;
export const TicketListCountQuery = z.preprocess(
  liftFieldParams,
  TicketCountQuery.extend({ fields: FieldFilter }),
);
export type TicketListCountQuery = z.infer<typeof TicketListCountQuery>;
