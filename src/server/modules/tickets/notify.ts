/**
 * What the service desk tells people: the assignee when a ticket is assigned to them, the requester and
 * watchers when the status changes or an agent replies, the assignee (or the team) when the requester
 * replies. Called inside the writing transaction; delivery is the notifications module's business.
 */
import type { Role, Ticket } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { notify, type NotifyEvent, type TicketFacts } from '../notifications/index.js';
import { handlingSecurity } from './security-rule.js';

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

/**
 * Who may hear anything of `t`: for a security incident only those who handle them (admins, security teams'
 * agents), never its requester or watchers outside them; for any other ticket, everyone the event concerns.
 */
export function toldOf(db: Db, t: Ticket): NotifyEvent['onlyWho'] {
  if (!t.security) return undefined;
  return (people) =>
    handlingSecurity(
      db,
      people.map((p) => ({ userId: p.id, role: p.role as Role })),
    );
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
      onlyWho: toldOf(db, after),
    });
  }
  if (before && before.status !== after.status) {
    await notify(db, {
      event: 'status_changed',
      ticket: factsOf(after),
      actor: by,
      to: ['requester', 'watchers'],
      onlyWho: toldOf(db, after),
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
    onlyWho: toldOf(db, ticket),
  });
}
