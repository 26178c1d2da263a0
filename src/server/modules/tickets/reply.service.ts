/** A reply and field changes in one step: reply-and-resolve, and macros. */
import type { Comment, Ticket } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { applyChange, type Change, toView } from './change.js';
import { addCommentIn } from './comments.service.js';
import * as repo from './tickets.repository.js';
import { visibleTo } from './visibility.js';

/** What {@link replyAndChangeIn} does: a reply or note (skipped when `body` is blank) and a change. */
export interface ReplyAndChange {
  body: string;
  internal: boolean;
  change: Change;
  /** The audit action of the change (`ticket.updated` unless told). */
  action?: string;
}

/** {@link replyAndChangeIn} in a transaction of its own. */
export async function replyAndChange(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  input: ReplyAndChange,
): Promise<{ comment: Comment | null; ticket: Ticket }> {
  return ctx.tx((db) => replyAndChangeIn(db, actor, ticketId, input));
}

/**
 * Posts a reply and applies field changes to a visible ticket in the caller's transaction, through the same
 * rules as each alone (comment rules, the state machine, routing checks, audit): if any part is refused, the
 * caller's transaction rolls back and nothing is posted. Changes need an agent or above. Resolving a new
 * ticket goes through "in progress" (the table has no new → resolved).
 */
export async function replyAndChangeIn(
  db: Db,
  actor: Actor,
  ticketId: string,
  input: ReplyAndChange,
): Promise<{ comment: Comment | null; ticket: Ticket }> {
  const locked = await repo.findVisible(db, ticketId, visibleTo(actor), true);
  if (!locked) throw NotFound('ticket');
  const changes = Object.values(input.change).some((v) => v !== undefined);
  if (changes) can(actor, 'ticket:work');
  const comment =
    input.body.trim().length > 0
      ? await addCommentIn(db, actor, ticketId, { body: input.body, internal: input.internal })
      : null;
  let row = await repo.reload(db, ticketId);
  if (!changes) return { comment, ticket: toView(row) };
  if (input.change.status === 'resolved' && row.status === 'new') {
    await applyChange(db, actor, row, { status: 'in_progress' }, { action: 'ticket.transitioned' });
    row = await repo.reload(db, ticketId);
  }
  const ticket = await applyChange(db, actor, row, input.change, {
    action: input.action ?? 'ticket.updated',
  });
  return { comment, ticket };
}
