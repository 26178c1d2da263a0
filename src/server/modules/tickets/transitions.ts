import { TICKET_TRANSITIONS, type TicketStatus } from '../../../contracts/index.js';
import { Conflict } from '../../platform/errors.js';

/** The ticket state machine (in the contracts, so the web app offers exactly these moves). */
export const TRANSITIONS = TICKET_TRANSITIONS;

/** Statuses in which a ticket is still being worked on (cancel is allowed from each). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

/** Final statuses: nothing changes any more, and nobody may comment. */
export const FINAL_STATUSES: readonly TicketStatus[] = ['closed', 'cancelled'];

/** True when `from -> to` is in the table. */
export function isAllowed(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws 409 `illegal_transition`, naming the allowed moves, unless `from -> to` is in the table. */
export function requireTransition(from: TicketStatus, to: TicketStatus): void {
  if (isAllowed(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw Conflict(
    `a ${from} ticket cannot become ${to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none (final status)'}`,
    'illegal_transition',
    [{ path: 'body.status', message: `allowed from ${from}: ${allowed.join(', ') || 'none'}` }],
  );
}

/** The priority of `matrix[urgency - 1][impact - 1]`, clamped to 1–5 if the matrix is short. */
export function priorityOf(matrix: readonly (readonly number[])[], urgency: number, impact: number): number {
  const p = matrix[urgency - 1]?.[impact - 1];
  return p !== undefined && Number.isInteger(p) && p >= 1 && p <= 5 ? p : 3;
}
