/**
 * What the service desk tells people: the assignee when a ticket is assigned to them, the requester and
 * watchers when the status changes or an agent replies, the assignee (or the team) when the requester
 * replies. Called inside the writing transaction; delivery is the notifications module's business.
 */
import type { Ticket } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { notify, type TicketFacts } from '../notifications/index.js';

/** The ticket as the notifications module needs it. */
export function factsOf(t: Ticket): TicketFacts {
  return {
    id: t.id,
    key: t.key,
    title: t.title,
    status: t.status,
    priority: t.priority,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    teamId: t.teamId,
  };
}

/** After a change: a new assignee hears of it; a status change goes to the requester and the watchers. */
export async function notifyChange(
  db: Db,
  actor: Actor,
  before: Ticket | null,
  after: Ticket,
): Promise<void> {
  const by = { userId: actor.userId, label: actor.label };
  if (after.assigneeId && after.assigneeId !== before?.assigneeId) {
    await notify(db, {
      event: 'assigned',
      ticket: factsOf(after),
      actor: by,
      to: [{ userId: after.assigneeId }],
    });
  }
  if (before && before.status !== after.status) {
    await notify(db, {
      event: 'status_changed',
      ticket: factsOf(after),
      actor: by,
      to: ['requester', 'watchers'],
    });
  }
}

/** After a comment: an agent's public reply goes to the requester and watchers; others go to the assignee. */
export async function notifyComment(
  db: Db,
  actor: Actor,
  ticket: Ticket,
  comment: { body: string; internal: boolean; byAgent: boolean },
): Promise<void> {
  const to =
    comment.byAgent && !comment.internal
      ? (['requester', 'watchers'] as const)
      : ticket.assigneeId
        ? (['assignee'] as const)
        : (['team'] as const);
  await notify(db, {
    event: 'replied',
    ticket: factsOf(ticket),
    actor: { userId: actor.userId, label: actor.label },
    to,
    comment: comment.body,
  });
}
