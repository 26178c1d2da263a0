import type { AddWatcher, Comment, CreateComment, TimelineItem } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { applyChange, toView } from './change.js';
import * as comments from './comments.repository.js';
import type { TimelineRow } from './comments.repository.js';
import { refreshSla } from '../sla/index.js';
import { userNames } from '../users/index.js';
import { notifyComment } from './notify.js';
import * as repo from './tickets.repository.js';
import { FINAL_STATUSES } from './transitions.js';
import { visibleTo } from './visibility.js';

function commentView(c: Awaited<ReturnType<typeof comments.insertComment>>): Comment {
  return {
    id: c.id,
    ticketId: c.ticket_id,
    authorId: c.author_id,
    authorLabel: c.author_label,
    body: c.body,
    internal: c.internal,
    createdAt: c.created_at.toISOString(),
  };
}

/**
 * Adds a public reply or an internal note to a visible, not yet final ticket. Only agents and above write
 * internal notes. The first public reply by an agent who is not the requester sets `first_response_at`. A
 * reply from the requester's side to a ticket pending on the requester moves it back to in progress.
 */
export async function addComment(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  input: CreateComment,
): Promise<Comment> {
  return ctx.tx((db) => addCommentIn(db, actor, ticketId, input));
}

/** {@link addComment} inside the caller's transaction (e.g. with the attachments of an e-mailed reply). */
export async function addCommentIn(
  db: Db,
  actor: Actor,
  ticketId: string,
  input: CreateComment,
): Promise<Comment> {
  {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor), true);
    if (!ticket) throw NotFound('ticket');
    const works = allows(actor, 'ticket:work');
    if (input.internal && !works) throw Forbidden('only agents may write internal notes');
    if (FINAL_STATUSES.includes(ticket.status)) {
      throw Conflict(`the ticket is ${ticket.status}: it takes no more comments`, 'ticket_final');
    }
    const row = await comments.insertComment(db, {
      ticketId,
      authorId: actor.userId,
      authorLabel: actor.label,
      body: input.body,
      internal: input.internal,
    });
    if (
      works &&
      !input.internal &&
      ticket.first_response_at === null &&
      actor.userId !== ticket.requester_id
    ) {
      await repo.update(db, ticketId, { first_response_at: row.created_at });
      await refreshSla(db, [ticketId]);
    }
    if (!works && !input.internal && ticket.status === 'pending' && ticket.pending_reason === 'requester') {
      // The awaited answer came: the ticket goes back to work (and its SLA clock resumes).
      await applyChange(db, actor, ticket, { status: 'in_progress' }, { action: 'ticket.resumed' });
    }
    const view = commentView(row);
    if (!input.internal || works) {
      await notifyComment(db, actor, toView(await repo.reload(db, ticketId)), {
        body: input.body,
        internal: input.internal,
        byAgent: works && actor.userId !== ticket.requester_id,
      });
    }
    await record(
      db,
      actor,
      input.internal ? 'ticket.noted' : 'ticket.replied',
      { type: 'ticket', id: ticketId },
      null,
      {
        commentId: view.id,
        internal: view.internal,
        length: view.body.length,
      },
    );
    return view;
  }
}

function timelineView(r: TimelineRow, ticketId: string): TimelineItem {
  const comment: Comment | null =
    r.kind === 'comment' && r.comment_id !== null
      ? {
          id: r.comment_id,
          ticketId,
          authorId: r.actor_id,
          authorLabel: r.actor_label,
          body: r.body ?? '',
          internal: r.internal === true,
          createdAt: r.at.toISOString(),
        }
      : null;
  return {
    kind: r.kind,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    comment,
    field: r.field,
    from: r.old_value ?? null,
    to: r.new_value ?? null,
  };
}

/** A visible ticket's timeline, oldest first: comments (without internal notes for requesters) and changes. */
export async function ticketTimeline(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const ticket = await repo.findVisible(ctx.db, ticketId, visibleTo(actor));
  if (!ticket) throw NotFound('ticket');
  const after = decodeCursor(q.cursor, ['bigint'])?.[0];
  const rows = await comments.timeline(ctx.db, ticketId, {
    withInternal: allows(actor, 'ticket:work'),
    after,
    limit: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const kept = rows.slice(0, q.limit);
  const last = kept.at(-1);
  // People by their names as they are now (the stored label is the address they signed in with).
  const ids = kept.flatMap((r) => (r.actor_id === null ? [] : [r.actor_id]));
  const names = await userNames(ctx.db, ids);
  const named = kept.map((r) => {
    const name = r.actor_id === null ? undefined : names.get(r.actor_id)?.name;
    return name ? { ...r, actor_label: name } : r;
  });
  return {
    items: named.map((r) => timelineView(r, ticketId)),
    nextCursor: more && last ? encodeCursor([last.seq]) : null,
  };
}

/** The watchers of a visible ticket. */
export async function listWatchers(ctx: Ctx, actor: Actor, ticketId: string) {
  const ticket = await repo.findVisible(ctx.db, ticketId, visibleTo(actor));
  if (!ticket) throw NotFound('ticket');
  const rows = await comments.watchers(ctx.db, ticketId);
  return { items: rows.map((r) => ({ userId: r.user_id, addedAt: r.added_at.toISOString() })) };
}

/**
 * Adds a watcher to a visible ticket. Requesters may add only themselves (so they can watch only what they
 * already see); agents and above may add any active user, who then sees the ticket.
 */
export async function addWatcher(ctx: Ctx, actor: Actor, ticketId: string, input: AddWatcher) {
  return ctx.tx(async (db) => {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor), true);
    if (!ticket) throw NotFound('ticket');
    if (!allows(actor, 'ticket:work') && input.userId !== actor.userId) {
      throw Forbidden('requesters may add only themselves as watchers');
    }
    if (!(await repo.activeUserRole(db, input.userId))) {
      throw Invalid('unknown user', [{ path: 'body.userId', message: 'no such active user' }]);
    }
    if (await comments.addWatcher(db, ticketId, input.userId)) {
      const e = {
        ticketId,
        actorId: actor.userId,
        actorLabel: actor.label,
        kind: 'field' as const,
        field: 'watchers',
      };
      await repo.insertEvent(db, { ...e, from: null, to: input.userId });
      await record(db, actor, 'ticket.watcher_added', { type: 'ticket', id: ticketId }, null, {
        watcherId: input.userId,
      });
    }
    return listWatchersIn(db, ticketId);
  });
}

/** Removes a watcher from a visible ticket. Requesters may remove only themselves. */
export async function removeWatcher(ctx: Ctx, actor: Actor, ticketId: string, userId: string): Promise<void> {
  await ctx.tx(async (db) => {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor), true);
    if (!ticket) throw NotFound('ticket');
    if (!allows(actor, 'ticket:work') && userId !== actor.userId) {
      throw Forbidden('requesters may remove only themselves as watchers');
    }
    if (!(await comments.removeWatcher(db, ticketId, userId))) throw NotFound('watcher');
    const e = {
      ticketId,
      actorId: actor.userId,
      actorLabel: actor.label,
      kind: 'field' as const,
      field: 'watchers',
    };
    await repo.insertEvent(db, { ...e, from: userId, to: null });
    await record(
      db,
      actor,
      'ticket.watcher_removed',
      { type: 'ticket', id: ticketId },
      { watcherId: userId },
      null,
    );
  });
}

async function listWatchersIn(db: Parameters<typeof comments.watchers>[0], ticketId: string) {
  const rows = await comments.watchers(db, ticketId);
  return { items: rows.map((r) => ({ userId: r.user_id, addedAt: r.added_at.toISOString() })) };
}
