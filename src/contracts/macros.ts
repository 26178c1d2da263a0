import { z } from 'zod';
import { Line } from './common.js';
import { Comment, Level, Markdown, PendingReason, Priority, Ticket, TicketStatus } from './tickets.js';

/** The field changes a macro makes: a subset of a ticket update, plus a status move. */
export const MacroChanges = z.strictObject({
  status: TicketStatus.optional(),
  pendingReason: PendingReason.optional(),
  teamId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
  categoryId: z.uuid().nullable().optional(),
  impact: Level.optional(),
  urgency: Level.optional(),
  priorityOverride: Priority.nullable().optional(),
});
export type MacroChanges = z.infer<typeof MacroChanges>;

const MacroFields = {
  name: Line(100),
  /** The reply (or internal note) it posts; empty for a macro that only changes fields. */
  body: Markdown(20_000).default(''),
  internal: z.boolean().default(false),
  changes: MacroChanges.default({}),
};

/** A new macro: personal (no team) or shared with a team's members (managers and admins). */
export const CreateMacro = z
  .strictObject({ ...MacroFields, teamId: z.uuid().nullable().default(null) })
  .refine((m) => m.body.trim().length > 0 || Object.keys(m.changes).length > 0, {
    message: 'a macro needs a reply or at least one change',
    path: ['body'],
  });
export type CreateMacro = z.infer<typeof CreateMacro>;

/** A change to a macro (If-Match required); its scope stays. */
export const UpdateMacro = z.strictObject({
  name: MacroFields.name.optional(),
  body: Markdown(20_000).optional(),
  internal: z.boolean().optional(),
  changes: MacroChanges.optional(),
});
export type UpdateMacro = z.infer<typeof UpdateMacro>;

export const Macro = z.object({
  id: z.uuid(),
  name: z.string(),
  body: z.string(),
  internal: z.boolean(),
  changes: MacroChanges,
  scope: z.enum(['personal', 'team']),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Macro = z.infer<typeof Macro>;

export const MacroList = z.object({ items: z.array(Macro) });
export type MacroList = z.infer<typeof MacroList>;

/** Applying a macro to a ticket. */
export const ApplyMacro = z.strictObject({ ticketId: z.uuid() });
export type ApplyMacro = z.infer<typeof ApplyMacro>;

/** What applying a macro did: the reply it posted (null when it has none) and the ticket as it is now. */
export const MacroApplied = z.object({ comment: Comment.nullable(), ticket: Ticket });
export type MacroApplied = z.infer<typeof MacroApplied>;
