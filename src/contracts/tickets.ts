import { z } from 'zod';
import { Line, pageOf, PageQuery } from './common.js';

/** Ticket types and the prefix of their human-friendly numbers (INC-1042, REQ-77, PRB-5). */
export const TICKET_TYPES = ['incident', 'request', 'problem'] as const;
export const TicketType = z.enum(TICKET_TYPES);
export type TicketType = z.infer<typeof TicketType>;
export const TICKET_PREFIX: Record<TicketType, string> = { incident: 'INC', request: 'REQ', problem: 'PRB' };

/** Ticket states; `closed` and `cancelled` are final. */
export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'pending',
  'resolved',
  'closed',
  'cancelled',
] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

/**
 * The ticket state machine: from each status, the statuses one may move to. `closed` and `cancelled` are
 * final; reopening is `resolved -> in_progress` (within the reopen window); cancel is allowed from every open
 * status. The server enforces it (409 naming the allowed moves); the web app offers only these moves.
 */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['assigned', 'in_progress', 'cancelled'],
  assigned: ['in_progress', 'pending', 'resolved', 'cancelled'],
  in_progress: ['pending', 'resolved', 'cancelled'],
  pending: ['in_progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};

/** Whom a pending ticket waits for. */
export const PendingReason = z.enum(['requester', 'vendor', 'change']);
export type PendingReason = z.infer<typeof PendingReason>;

/** Impact and urgency: 1 (lowest) to 5 (highest). */
export const Level = z.number().int().min(1).max(5);
/** Priority: 1–5 from the matrix, 6 = major (only set by hand). */
export const Priority = z.number().int().min(1).max(6);

/** Markdown text, stored raw (the API never renders it; the web app renders it safely). */
export const Markdown = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** A ticket as the API shows it. */
export const Ticket = z.object({
  id: z.uuid(),
  key: z.string().describe('human-friendly number, e.g. INC-1042'),
  type: TicketType,
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  status: TicketStatus,
  pendingReason: PendingReason.nullable(),
  requesterId: z.uuid(),
  teamId: z.uuid().nullable(),
  assigneeId: z.uuid().nullable(),
  categoryId: z.uuid().nullable(),
  impact: z.number().int(),
  urgency: z.number().int(),
  priority: z.number().int(),
  priorityOverridden: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  csatRating: z.number().int().nullable(),
  csatComment: z.string().nullable(),
  /** A security incident: seen only by the security teams and admins. */
  security: z.boolean(),
  version: z.number().int(),
});
export type Ticket = z.infer<typeof Ticket>;

/** The state of one SLA clock. */
export const SlaClockState = z.enum(['running', 'paused', 'warning', 'breached', 'met', 'missed']);
export type SlaClockState = z.infer<typeof SlaClockState>;

/** A ticket in a list, with its SLA due times as last computed (null: no SLA policy applies). */
export const TicketListItem = Ticket.extend({
  sla: z
    .object({
      responseState: SlaClockState.nullable(),
      responseDueAt: z.string().nullable(),
      resolutionState: SlaClockState.nullable(),
      resolutionDueAt: z.string().nullable(),
    })
    .nullable(),
});
export type TicketListItem = z.infer<typeof TicketListItem>;

/** Opening a ticket. Requesters open for themselves only and cannot route or prioritise by hand. */
export const CreateTicket = z.strictObject({
  type: TicketType,
  title: Line(200),
  description: Markdown(20_000).default(''),
  requesterId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  categoryId: z.uuid().optional(),
  impact: Level.default(3),
  urgency: Level.default(3),
  priorityOverride: Priority.optional(),
  /** Configuration items the ticket is about; a requester may name only items they own. */
  ciIds: z
    .array(z.uuid())
    .max(10)
    .refine((a) => new Set(a).size === a.length, 'no repeats')
    .optional(),
  /** Custom field values by key (see /api/v1/ticket-fields); requesters set only the fields asked on the portal. */
  fields: z.record(z.string().max(40), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
});
export type CreateTicket = z.infer<typeof CreateTicket>;

/** Changing a ticket (agents and above). `null` clears; `priorityOverride: null` returns to the matrix. */
export const UpdateTicket = z.strictObject({
  title: Line(200).optional(),
  description: Markdown(20_000).optional(),
  teamId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
  categoryId: z.uuid().nullable().optional(),
  impact: Level.optional(),
  urgency: Level.optional(),
  priorityOverride: Priority.nullable().optional(),
  status: TicketStatus.optional(),
  pendingReason: PendingReason.optional(),
});
export type UpdateTicket = z.infer<typeof UpdateTicket>;

/** A status change. */
export const TransitionTicket = z.strictObject({
  status: TicketStatus,
  pendingReason: PendingReason.optional(),
});
export type TransitionTicket = z.infer<typeof TransitionTicket>;

/** The same change to many tickets, all or nothing. */
export const BulkUpdateTickets = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(200),
  patch: z.strictObject({
    teamId: z.uuid().nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    status: TicketStatus.optional(),
    pendingReason: PendingReason.optional(),
    priorityOverride: Priority.nullable().optional(),
  }),
});
export type BulkUpdateTickets = z.infer<typeof BulkUpdateTickets>;
export const TicketList = z.object({ items: z.array(Ticket) });

/** The requester confirms the resolution (closing the ticket), optionally rating it. */
export const ConfirmTicket = z.strictObject({
  rating: z.number().int().min(1).max(5).optional(),
  comment: Markdown(2000).optional(),
});
export type ConfirmTicket = z.infer<typeof ConfirmTicket>;

/** The requester reopens a resolved ticket within the reopen window. */
export const ReopenTicket = z.strictObject({ reason: Markdown(20_000).optional() });
export type ReopenTicket = z.infer<typeof ReopenTicket>;

const csv = <T extends z.ZodType>(item: T) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((x) => x.trim()))
    // Each item schema takes a string (enums, coerced numbers); zod cannot see that through the generic.
    .pipe(z.array(item).min(1).max(20) as unknown as z.ZodType<z.output<T>[], string[]>);

/** Sort keys of the ticket list; `relevance` needs `q`. */
export const TicketSort = z.enum([
  'created',
  'updated',
  'priority',
  'number',
  'relevance',
  'response_due',
  'resolution_due',
]);
export type TicketSort = z.infer<typeof TicketSort>;

/** The filters that take one value, shared by the JSON filter (saved views) and the query string. */
const singleValuedFilters = {
  teamId: z.uuid().optional(),
  assignee: z.union([z.uuid(), z.enum(['me', 'none'])]).optional(),
  categoryId: z.uuid().optional(),
  requesterId: z.uuid().optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  updatedFrom: z.iso.datetime({ offset: true }).optional(),
  updatedTo: z.iso.datetime({ offset: true }).optional(),
  /** Tickets with a running SLA clock (response or resolution) due before this instant. */
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  q: z
    .string()
    .trim()
    .max(200)
    // An empty search box means no search.
    .transform((s) => (s === '' ? undefined : s))
    .optional(),
  sort: TicketSort.optional(),
  order: z.enum(['asc', 'desc']).optional(),
};

/** Filters of the ticket list, as a JSON object (saved views store this). */
export const TicketFilter = z.strictObject({
  status: z.array(TicketStatus).min(1).max(7).optional(),
  type: z.array(TicketType).min(1).max(3).optional(),
  priority: z.array(Priority).min(1).max(6).optional(),
  /** Tickets with an SLA clock (response or resolution) in one of these states. */
  sla: z.array(SlaClockState).min(1).max(6).optional(),
  ...singleValuedFilters,
});
export type TicketFilter = z.infer<typeof TicketFilter>;

/**
 * The ticket list's query string: the filters, with multi-valued ones comma-separated
 * (`status=new,assigned`), plus the page. Without `sort`: relevance when `q` is given, else newest first.
 */
export const TicketQuery = PageQuery.extend({
  status: csv(TicketStatus).optional(),
  type: csv(TicketType).optional(),
  priority: csv(z.coerce.number().int().min(1).max(6)).optional(),
  sla: csv(SlaClockState).optional(),
  ...singleValuedFilters,
  viewId: z.uuid().optional().describe("apply one of the caller's saved views; other parameters override it"),
});
export type TicketQuery = z.infer<typeof TicketQuery>;
export const TicketCountQuery = TicketQuery.omit({ cursor: true, limit: true, sort: true, order: true });
export type TicketCountQuery = z.infer<typeof TicketCountQuery>;
export const TicketPage = pageOf(TicketListItem);
export const TicketCount = z.object({ count: z.number().int() });

/** A reply (public) or an internal note (agents only; requesters never see it). */
export const CreateComment = z.strictObject({
  body: Markdown(20_000).refine((s) => s.trim().length > 0, 'must not be empty'),
  internal: z.boolean().default(false),
  /** Reply and move in one step (agents): e.g. reply and resolve. Nothing is posted if the move is refused. */
  status: TicketStatus.optional(),
  pendingReason: PendingReason.optional(),
});
export type CreateComment = z.infer<typeof CreateComment>;

export const Comment = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  authorId: z.uuid().nullable(),
  authorLabel: z.string(),
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof Comment>;

/** One entry of a ticket's timeline: a comment, or a status or field change. */
export const TimelineItem = z.object({
  kind: z.enum(['comment', 'created', 'status', 'field', 'routing', 'attachment', 'link', 'sla']),
  at: z.string(),
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  comment: Comment.nullable(),
  field: z.string().nullable(),
  from: z.unknown().nullable(),
  to: z.unknown().nullable(),
});
export type TimelineItem = z.infer<typeof TimelineItem>;
export const TimelinePage = pageOf(TimelineItem);

export const AddWatcher = z.strictObject({ userId: z.uuid() });
export type AddWatcher = z.infer<typeof AddWatcher>;
export const WatcherParams = z.strictObject({ id: z.uuid(), userId: z.uuid() });
export const Watchers = z.object({ items: z.array(z.object({ userId: z.uuid(), addedAt: z.string() })) });

/** A node of the category tree. */
export const Category = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Category = z.infer<typeof Category>;
export const CreateCategory = z.strictObject({
  name: Line(120),
  parentId: z.uuid().optional(),
  description: z.string().trim().max(2000).default(''),
});
export type CreateCategory = z.infer<typeof CreateCategory>;
export const UpdateCategory = z.strictObject({
  name: Line(120).optional(),
  parentId: z.uuid().nullable().optional(),
  description: z.string().trim().max(2000).optional(),
});
export type UpdateCategory = z.infer<typeof UpdateCategory>;
export const CategoryQuery = PageQuery.extend({
  parentId: z.union([z.uuid(), z.literal('root')]).optional(),
});
export type CategoryQuery = z.infer<typeof CategoryQuery>;
export const CategoryPage = pageOf(Category);

/** `matrix[urgency - 1][impact - 1]` is the priority (1–5) of a ticket. */
export const PriorityMatrix = z.strictObject({
  matrix: z.array(z.array(z.number().int().min(1).max(5)).length(5)).length(5),
});
export type PriorityMatrix = z.infer<typeof PriorityMatrix>;

/**
 * Service-desk settings: a requester may reopen a resolved ticket for `reopenWindowDays`; a resolved ticket
 * closes by itself after `autoCloseDays` (never sooner than the reopen window ends).
 */
export const ServiceDeskSettings = z
  .strictObject({
    reopenWindowDays: z.number().int().min(0).max(365),
    autoCloseDays: z.number().int().min(1).max(365).default(14),
  })
  .refine((s) => s.autoCloseDays >= s.reopenWindowDays, {
    path: ['autoCloseDays'],
    message: 'must be at least the reopen window: a ticket cannot close while it may still be reopened',
  });
export type ServiceDeskSettings = z.infer<typeof ServiceDeskSettings>;

/** A saved ticket filter, private to its owner. */
export const SavedView = z.object({
  id: z.uuid(),
  name: z.string(),
  filters: TicketFilter,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type SavedView = z.infer<typeof SavedView>;
export const CreateView = z.strictObject({ name: Line(120), filters: TicketFilter });
export type CreateView = z.infer<typeof CreateView>;
export const UpdateView = z.strictObject({ name: Line(120).optional(), filters: TicketFilter.optional() });
export type UpdateView = z.infer<typeof UpdateView>;
export const ViewPage = pageOf(SavedView);
