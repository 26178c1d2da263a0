/** Resolving a ticket on behalf of the system (an automatic incident whose cause went away). */
import { sql } from 'kysely';
import type { Ticket } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { applyChange } from './change.js';
import { addCommentIn } from './comments.service.js';
import * as repo from './tickets.repository.js';
import { OPEN_STATUSES } from './transitions.js';

/**
 * Resolves an open ticket in the caller's transaction, with a public comment saying why: a new ticket goes
 * through "in progress" (the transition table has no new → resolved). Returns the ticket as resolved, or
 * undefined when it is gone or no longer open (someone resolved, closed or cancelled it already).
 */
export async function resolveTicketIn(
  db: Db,
  actor: Actor,
  ticketId: string,
  comment: string,
): Promise<Ticket | undefined> {
  const current = await repo.findVisible(db, ticketId, sql<boolean>`true`, true);
  if (!current || !OPEN_STATUSES.includes(current.status)) return undefined;
  await addCommentIn(db, actor, ticketId, { body: comment, internal: false });
  let row = await repo.reload(db, ticketId);
  if (row.status === 'new') {
    await applyChange(db, actor, row, { status: 'in_progress' }, { action: 'ticket.transitioned' });
    row = await repo.reload(db, ticketId);
  }
  return applyChange(db, actor, row, { status: 'resolved' }, { action: 'ticket.resolved' });
}
