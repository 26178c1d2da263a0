import type { ConfirmTicket, ReopenTicket, Ticket } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import * as comments from './comments.repository.js';
import { applyChange } from './change.js';
import * as repo from './tickets.repository.js';
import { visibleTo } from './visibility.js';

async function ownResolved(db: Parameters<typeof repo.findVisible>[0], actor: Actor, id: string) {
  const current = await repo.findVisible(db, id, visibleTo(actor), true);
  if (!current) throw NotFound('ticket');
  if (current.requester_id !== actor.userId)
    throw Forbidden('only the requester confirms or reopens a resolution');
  return current;
}

/**
 * The requester confirms a resolved ticket: it closes, with an optional satisfaction rating (1–5) and
 * comment. A ticket that is not resolved is a 409 naming the allowed moves.
 */
export async function confirmTicket(
  ctx: Ctx,
  actor: Actor,
  id: string,
  input: ConfirmTicket,
): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const current = await ownResolved(db, actor, id);
    return applyChange(
      db,
      actor,
      current,
      { status: 'closed', csatRating: input.rating, csatComment: input.comment },
      { action: 'ticket.confirmed' },
    );
  });
}

/**
 * The requester reopens a resolved ticket (back to in progress) within the reopen window; the optional
 * reason becomes a public reply.
 */
export async function reopenTicket(ctx: Ctx, actor: Actor, id: string, input: ReopenTicket): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const current = await ownResolved(db, actor, id);
    if (current.status !== 'resolved') {
      throw Conflict(
        `only a resolved ticket can be reopened; this one is ${current.status}`,
        'illegal_transition',
      );
    }
    const ticket = await applyChange(
      db,
      actor,
      current,
      { status: 'in_progress' },
      { action: 'ticket.reopened' },
    );
    if (input.reason?.trim()) {
      await comments.insertComment(db, {
        ticketId: id,
        authorId: actor.userId,
        authorLabel: actor.label,
        body: input.reason,
        internal: false,
      });
    }
    return ticket;
  });
}
