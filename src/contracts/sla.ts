import { z } from 'zod';
import { Line } from './common.js';
import { SlaClockState, TicketType } from './tickets.js';

/** A span of local minutes after midnight, [start, end). */
export const MinuteSpan = z
  .tuple([z.number().int().min(0).max(1439), z.number().int().min(1).max(1440)])
  .refine(([s, e]) => s < e, 'a span must start before it ends');

const DaySpans = z
  .array(MinuteSpan)
  .max(12)
  .refine(
    (spans) => spans.every((s, i) => i === 0 || spans[i - 1]![1] <= s[0]),
    'spans must be sorted and must not overlap',
  );

/** A holiday: closed all day, or a short day with its own hours. */
export const Holiday = z.strictObject({
  date: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }),
  name: Line(120).optional(),
  hours: DaySpans.optional(),
});
export type Holiday = z.infer<typeof Holiday>;

/** The week of a calendar: seven days of working spans, Sunday first. */
export const Week = z.array(DaySpans).length(7, 'seven days, Sunday first');

/** A working calendar as the API shows it. */
export const SlaCalendar = z.object({
  id: z.uuid(),
  name: z.string(),
  timezone: z.string(),
  week: Week,
  holidays: z.array(Holiday),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type SlaCalendar = z.infer<typeof SlaCalendar>;
export const SlaCalendarList = z.object({ items: z.array(SlaCalendar) });

const Holidays = z
  .array(Holiday)
  .max(1000)
  .refine((hs) => new Set(hs.map((h) => h.date)).size === hs.length, 'a date may appear once');

/** POST /api/v1/sla/calendars. `timezone` is an IANA zone (checked by the server). */
export const CreateSlaCalendar = z.strictObject({
  name: Line(120),
  timezone: Line(64),
  week: Week,
  holidays: Holidays.default([]),
});
export type CreateSlaCalendar = z.infer<typeof CreateSlaCalendar>;

/** PATCH /api/v1/sla/calendars/:id (If-Match). */
export const UpdateSlaCalendar = z.strictObject({
  name: Line(120).optional(),
  timezone: Line(64).optional(),
  week: Week.optional(),
  holidays: Holidays.optional(),
});
export type UpdateSlaCalendar = z.infer<typeof UpdateSlaCalendar>;

const Minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 366);

/** Business-time targets of one priority; null = no clock of that kind. */
export const SlaTargets = z.strictObject({
  firstResponseMinutes: Minutes.nullable(),
  resolutionMinutes: Minutes.nullable(),
});

/** Targets per priority "1".."6"; a priority left out has no clock. */
export const SlaTargetMap = z
  .partialRecord(z.enum(['1', '2', '3', '4', '5', '6']), SlaTargets)
  .refine((m) => Object.keys(m).length > 0, 'name targets for at least one priority');

/** What happens when a clock reaches its warning or its breach. */
export const EscalationAction = z.discriminatedUnion('kind', [
  /** Notify people: the assignee, the team's members, the managers, or named users. */
  z.strictObject({
    kind: z.literal('notify'),
    to: z
      .array(z.union([z.enum(['assignee', 'team', 'managers', 'requester']), z.uuid()]))
      .min(1)
      .max(20),
  }),
  /** Hand the ticket to another team (and, optionally, an agent of it). */
  z.strictObject({ kind: z.literal('reassign'), teamId: z.uuid(), assigneeId: z.uuid().optional() }),
  /** Raise the priority by `by` steps, at most to `max` (default 5; 6 is major and set by hand). */
  z.strictObject({
    kind: z.literal('raise_priority'),
    by: z.number().int().min(1).max(5).default(1),
    max: z.number().int().min(2).max(6).default(5),
  }),
]);
export type EscalationAction = z.infer<typeof EscalationAction>;

const Actions = z.array(EscalationAction).max(10);
const PauseOn = z
  .array(z.enum(['requester', 'vendor', 'change']))
  .max(3)
  .refine((a) => new Set(a).size === a.length, 'no repeats');

/** An SLA policy as the API shows it. */
export const SlaPolicy = z.object({
  id: z.uuid(),
  name: z.string(),
  ticketType: TicketType,
  calendarId: z.uuid(),
  targets: SlaTargetMap,
  pauseOn: z.array(z.string()),
  warnShare: z.number(),
  warningActions: Actions,
  breachActions: Actions,
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;
export const SlaPolicyList = z.object({ items: z.array(SlaPolicy) });

const WarnShare = z.number().gt(0, 'above 0').lt(1, 'below 1');

/** POST /api/v1/sla/policies: one enabled policy per ticket type. */
export const CreateSlaPolicy = z.strictObject({
  name: Line(120),
  ticketType: TicketType,
  calendarId: z.uuid(),
  targets: SlaTargetMap,
  pauseOn: PauseOn.default(['requester', 'vendor']),
  warnShare: WarnShare.default(0.75),
  warningActions: Actions.default([]),
  breachActions: Actions.default([]),
  enabled: z.boolean().default(true),
});
export type CreateSlaPolicy = z.infer<typeof CreateSlaPolicy>;

/** PATCH /api/v1/sla/policies/:id (If-Match). */
export const UpdateSlaPolicy = z.strictObject({
  name: Line(120).optional(),
  ticketType: TicketType.optional(),
  calendarId: z.uuid().optional(),
  targets: SlaTargetMap.optional(),
  pauseOn: PauseOn.optional(),
  warnShare: WarnShare.optional(),
  warningActions: Actions.optional(),
  breachActions: Actions.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateSlaPolicy = z.infer<typeof UpdateSlaPolicy>;

/** One clock of a ticket, read now. */
export const SlaClock = z.object({
  state: SlaClockState,
  targetMinutes: z.number(),
  elapsedMinutes: z.number(),
  /** Business minutes left (negative once breached). */
  remainingMinutes: z.number(),
  dueAt: z.string().nullable(),
  warningAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
});
export type SlaClock = z.infer<typeof SlaClock>;

/** GET /api/v1/tickets/:id/sla: the ticket's clocks, recomputed from its history at this moment. */
export const TicketSla = z.object({
  policy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  calendar: z.object({ id: z.uuid(), name: z.string(), timezone: z.string() }).nullable(),
  firstResponse: SlaClock.nullable(),
  resolution: SlaClock.nullable(),
  computedAt: z.string(),
});
export type TicketSla = z.infer<typeof TicketSla>;
