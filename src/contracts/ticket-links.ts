import { z } from 'zod';
import { TicketStatus, TicketType } from './tickets.js';

/** A file attached to a ticket (or to one of its comments). The bytes are fetched from `downloadUrl`. */
export const Attachment = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  commentId: z.uuid().nullable(),
  internal: z.boolean().describe('on an internal note: seen only by agents and above'),
  fileName: z.string(),
  contentType: z.string().describe('sniffed from the bytes, never taken from the client'),
  size: z.number().int(),
  sha256: z.string(),
  uploaderId: z.uuid().nullable(),
  uploaderLabel: z.string(),
  createdAt: z.string(),
  downloadUrl: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;
export const AttachmentList = z.object({ items: z.array(Attachment) });
export const AttachmentParams = z.strictObject({ id: z.uuid(), attachmentId: z.uuid() });

/**
 * Kinds of link, read from the ticket that holds them: `problem` (this incident is caused by that problem),
 * `parent` (this ticket is a child of that one). `duplicate` links are written only by a merge.
 */
export const LinkKind = z.enum(['problem', 'parent', 'duplicate']);
export type LinkKind = z.infer<typeof LinkKind>;

export const CreateLink = z.strictObject({
  kind: z.enum(['problem', 'parent']),
  targetId: z.uuid(),
});
export type CreateLink = z.infer<typeof CreateLink>;

/** The ticket at the other end of a link, as far as the caller may see it. */
export const LinkedTicket = z.object({
  id: z.uuid(),
  key: z.string(),
  type: TicketType,
  title: z.string(),
  status: TicketStatus,
});

/**
 * One link as seen from a ticket: `outgoing` links are held by this ticket (its problem, its parent, what it
 * was merged into); `incoming` ones point at it (a problem's incidents, a parent's children, its merged
 * duplicates). Links to tickets the caller may not see are left out.
 */
export const TicketLink = z.object({
  id: z.uuid(),
  kind: LinkKind,
  direction: z.enum(['outgoing', 'incoming']),
  ticket: LinkedTicket,
  createdAt: z.string(),
});
export type TicketLink = z.infer<typeof TicketLink>;
export const TicketLinkList = z.object({ items: z.array(TicketLink) });
export const LinkParams = z.strictObject({ id: z.uuid(), linkId: z.uuid() });

/** Merges this ticket, a duplicate, into `intoId`: it is closed and its conversation moves over. */
export const MergeTicket = z.strictObject({ intoId: z.uuid() });
export type MergeTicket = z.infer<typeof MergeTicket>;
