// Display names of the service desk's enumerations, and the state machine as the UI offers it.
import { type PendingReason, TICKET_TRANSITIONS, type TicketStatus, type TicketType } from '@contracts';

/** Status names as people read them. */
export const STATUS_LABEL: Record<TicketStatus, string> = {
  new: 'New',
  assigned: 'Assigned',
  in_progress: 'In progress',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Every status, in lifecycle order. */
export const STATUSES = Object.keys(STATUS_LABEL) as TicketStatus[];

/** The statuses of tickets still being worked on (the default queue). */
export const OPEN_STATUSES: TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

/** Ticket type names. */
export const TYPE_LABEL: Record<TicketType, string> = {
  incident: 'Incident',
  request: 'Service request',
  problem: 'Problem',
};

/** Whom a pending ticket waits for. */
export const PENDING_LABEL: Record<PendingReason, string> = {
  requester: 'On requester',
  vendor: 'On vendor',
  change: 'On change',
};

// Priority names ("P1 · Critical") come from the one helper every page uses.
export { priorityLabel } from '../../ui';

/** The moves the UI offers from each status: the contracts' state machine, which the server enforces. */
export const NEXT_STATUSES = TICKET_TRANSITIONS;

/** The label of the button that moves a ticket from `from` to `to`. */
export function moveLabel(from: TicketStatus, to: TicketStatus): string {
  switch (to) {
    case 'in_progress':
      return from === 'resolved' ? 'Reopen' : from === 'pending' ? 'Resume work' : 'Start work';
    case 'pending':
      return 'Set pending…';
    case 'resolved':
      return 'Resolve';
    case 'closed':
      return 'Close';
    case 'cancelled':
      return 'Cancel ticket';
    case 'assigned':
      return 'Mark assigned';
    case 'new':
      return 'Back to new';
  }
}

/** True for statuses in which nothing changes any more. */
export function isFinal(s: TicketStatus): boolean {
  return s === 'closed' || s === 'cancelled';
}
