// Display names of the service desk's enumerations (as catalogue keys), and the state machine as the UI offers it.
import { type PendingReason, TICKET_TRANSITIONS, type TicketStatus, type TicketType } from '@contracts';
import type { MessageKey } from '../../i18n';

/** Status names as people read them (catalogue keys: `t(STATUS_LABEL[s])`). */
export const STATUS_LABEL: Record<TicketStatus, MessageKey> = {
  new: 'ticket.status.new',
  assigned: 'ticket.status.assigned',
  in_progress: 'ticket.status.in_progress',
  pending: 'ticket.status.pending',
  resolved: 'ticket.status.resolved',
  closed: 'ticket.status.closed',
  cancelled: 'ticket.status.cancelled',
};

/** Every status, in lifecycle order. */
export const STATUSES = Object.keys(STATUS_LABEL) as TicketStatus[];

/** The statuses of tickets still being worked on (the default queue). */
export const OPEN_STATUSES: TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

/** Ticket type names (catalogue keys). */
export const TYPE_LABEL: Record<TicketType, MessageKey> = {
  incident: 'ticket.type.incident',
  request: 'ticket.type.request',
  problem: 'ticket.type.problem',
};

/** Whom a pending ticket waits for (catalogue keys). */
export const PENDING_LABEL: Record<PendingReason, MessageKey> = {
  requester: 'ticket.pending.requester',
  vendor: 'ticket.pending.vendor',
  change: 'ticket.pending.change',
};

/** The same, as it reads after another word ("Pending · on requester"). */
export const PENDING_AFTER: Record<PendingReason, MessageKey> = {
  requester: 'ticket.pendingAfter.requester',
  vendor: 'ticket.pendingAfter.vendor',
  change: 'ticket.pendingAfter.change',
};

/** The moves the UI offers from each status: the contracts' state machine, which the server enforces. */
export const NEXT_STATUSES = TICKET_TRANSITIONS;

/** The label (a catalogue key) of the button that moves a ticket from `from` to `to`. */
export function moveLabel(from: TicketStatus, to: TicketStatus): MessageKey {
  switch (to) {
    case 'in_progress':
      return from === 'resolved'
        ? 'ticket.move.reopen'
        : from === 'pending'
          ? 'ticket.move.resume'
          : 'ticket.move.start';
    case 'pending':
      return 'ticket.move.pending';
    case 'resolved':
      return 'ticket.move.resolve';
    case 'closed':
      return 'ticket.move.close';
    case 'cancelled':
      return 'ticket.move.cancel';
    case 'assigned':
      return 'ticket.move.assigned';
    case 'new':
      return 'ticket.move.new';
  }
}

/** True for statuses in which nothing changes any more. */
export function isFinal(s: TicketStatus): boolean {
  return s === 'closed' || s === 'cancelled';
}
