import type { CreateLink, MergeTicket, Ticket, TicketLink, TicketStatus } from '../../../contracts/index.js';
import { TICKET_PREFIX } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { toView } from './change.js';
import * as links from './links.repository.js';
import { refreshSla } from '../sla/index.js';
import * as repo from './tickets.repository.js';
import type { TicketRow } from './tickets.repository.js';
import { FINAL_STATUSES } from './transitions.js';
import { visibleTo } from './visibility.js';

const keyOf = (t: { type: keyof typeof TICKET_PREFIX; number: number }): string =>
  `${TICKET_PREFIX[t.type]}-${t.number}`;

/**
 * Locks the two tickets of a link or merge (in id order: one lock order for every writer) and returns them,
 * or 404 when the caller may not see either. Writing links is agents' work: a requester who can see the
 * ticket gets 403.
 */
async function lockPair(db: Db, actor: Actor, id: string, otherId: string): Promise<[TicketRow, TicketRow]> {
  if (id === otherId) {
    throw Invalid('a ticket cannot be linked to itself', [{ path: 'body', message: 'name another ticket' }]);
  }
  const rows = await repo.lockVisible(db, [id, otherId], visibleTo(actor));
  const self = rows.find((r) => r.id === id);
  const other = rows.find((r) => r.id === otherId);
  if (!self) throw NotFound('ticket');
  if (!allows(actor, 'ticket:work')) throw Forbidden('only agents link and merge tickets');
  if (!other) throw NotFound('linked ticket');
  return [self, other];
}

async function linkEvents(
  db: Db,
  actor: Actor,
  kind: string,
  from: TicketRow,
  to: TicketRow,
  linkId: string,
  added: boolean,
): Promise<void> {
  // Link events name the other ticket: agents only, so a requester never learns of a ticket they may not see.
  const e = {
    actorId: actor.userId,
    actorLabel: actor.label,
    kind: 'link' as const,
    field: kind,
    internal: true,
  };
  const value = (t: TicketRow, direction: string) => ({ linkId, direction, ticketId: t.id, key: keyOf(t) });
  await repo.insertEvent(db, {
    ...e,
    ticketId: from.id,
    from: added ? null : value(to, 'outgoing'),
    to: added ? value(to, 'outgoing') : null,
  });
  await repo.insertEvent(db, {
    ...e,
    ticketId: to.id,
    from: added ? null : value(from, 'incoming'),
    to: added ? value(from, 'incoming') : null,
  });
}

/**
 * Links a ticket to another: `problem` (an incident to the problem that causes it) or `parent` (a child to
 * its parent; no loops). A ticket holds at most one link of each kind (409 when it already has one).
 */
export async function createLink(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  input: CreateLink,
): Promise<TicketLink> {
  return ctx.tx(async (db) => {
    const [self, target] = await lockPair(db, actor, ticketId, input.targetId);
    if (input.kind === 'problem') {
      if (self.type !== 'incident') {
        throw Invalid('only incidents are linked to a problem', [
          { path: 'body.kind', message: `this is a ${self.type}` },
        ]);
      }
      if (target.type !== 'problem') {
        throw Invalid('the target is not a problem', [
          { path: 'body.targetId', message: `it is a ${target.type}` },
        ]);
      }
    } else if (await links.isAncestorOrSelf(db, target.id, self.id)) {
      throw Conflict(
        `${keyOf(target)} is already below ${keyOf(self)}: the link would make a loop`,
        'link_cycle',
        [{ path: 'body.targetId', message: 'would make a loop' }],
      );
    }
    const row = await links.insertLink(db, {
      kind: input.kind,
      fromId: self.id,
      toId: target.id,
      createdBy: actor.userId,
    });
    if (!row) {
      throw Conflict(`${keyOf(self)} already has a ${input.kind} link: remove it first`, 'link_exists', [
        { path: 'body.kind', message: 'one per ticket' },
      ]);
    }
    await linkEvents(db, actor, input.kind, self, target, row.id, true);
    await record(db, actor, 'ticket.linked', { type: 'ticket', id: self.id }, null, {
      linkId: row.id,
      kind: input.kind,
      targetId: target.id,
    });
    return {
      id: row.id,
      kind: row.kind,
      direction: 'outgoing',
      ticket: {
        id: target.id,
        key: keyOf(target),
        type: target.type,
        title: target.title,
        status: target.status,
      },
      createdAt: row.created_at.toISOString(),
    };
  });
}

/** The links of a visible ticket; links to tickets the caller may not see are left out (not even counted). */
export async function listLinks(ctx: Ctx, actor: Actor, ticketId: string): Promise<TicketLink[]> {
  const visible = visibleTo(actor);
  const ticket = await repo.findVisible(ctx.db, ticketId, visible);
  if (!ticket) throw NotFound('ticket');
  const rows = await links.listLinks(ctx.db, ticketId, visible);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    direction: r.direction,
    ticket: {
      id: r.other_id,
      key: keyOf({ type: r.other_type, number: r.other_number }),
      type: r.other_type,
      title: r.other_title,
      status: r.other_status as TicketStatus,
    },
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Removes a problem or parent link (a merge cannot be undone: 409). */
export async function deleteLink(ctx: Ctx, actor: Actor, ticketId: string, linkId: string): Promise<void> {
  await ctx.tx(async (db) => {
    const ticket = await repo.findVisible(db, ticketId, visibleTo(actor));
    if (!ticket) throw NotFound('ticket');
    const link = await links.findLink(db, ticketId, linkId);
    if (!link) throw NotFound('link');
    const otherId = link.from_id === ticketId ? link.to_id : link.from_id;
    const [self, other] = await lockPair(db, actor, ticketId, otherId);
    if (link.kind === 'duplicate') throw Conflict('a merge cannot be undone', 'merge_final');
    const [from, to] = link.from_id === self.id ? [self, other] : [other, self];
    await links.deleteLink(db, link.id);
    await linkEvents(db, actor, link.kind, from, to, link.id, false);
    await record(
      db,
      actor,
      'ticket.unlinked',
      { type: 'ticket', id: from.id },
      { linkId, kind: link.kind, targetId: to.id },
      null,
    );
  });
}

/**
 * Merges a duplicate into the ticket it duplicates, in one transaction: the duplicate's comments and
 * attachments move to the survivor's timeline (in their original order), its requester and watchers start
 * watching the survivor, a `duplicate` link records the merge on both timelines, and the duplicate is closed
 * (a merge closes from any open status: it is the merge's own rule, not a state-machine move).
 */
export async function mergeTicket(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  input: MergeTicket,
): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const [dup, into] = await lockPair(db, actor, ticketId, input.intoId);
    for (const t of [dup, into]) {
      if (FINAL_STATUSES.includes(t.status)) {
        throw Conflict(`${keyOf(t)} is ${t.status}: it cannot take part in a merge`, 'ticket_final');
      }
    }
    const row = await links.insertLink(db, {
      kind: 'duplicate',
      fromId: dup.id,
      toId: into.id,
      createdBy: actor.userId,
    });
    if (!row) throw Conflict(`${keyOf(dup)} was already merged`, 'link_exists');
    const moved = await links.moveConversation(db, dup.id, into.id);
    const watchers = await links.carryWatchers(db, dup.id, into.id);
    const now = new Date();
    await repo.update(db, dup.id, {
      status: 'closed',
      pending_reason: null,
      closed_at: now,
      resolved_at: dup.resolved_at ?? now,
    });
    const after = await repo.reload(db, dup.id);
    const e = { actorId: actor.userId, actorLabel: actor.label };
    await repo.insertEvent(db, {
      ...e,
      ticketId: dup.id,
      kind: 'status',
      field: 'status',
      from: dup.status,
      to: 'closed',
    });
    await refreshSla(db, [dup.id, into.id]);
    await linkEvents(db, actor, 'duplicate', dup, into, row.id, true);
    await repo.insertEvent(db, {
      ...e,
      ticketId: into.id,
      kind: 'link',
      field: 'merged',
      internal: true,
      from: null,
      to: {
        ticketId: dup.id,
        key: keyOf(dup),
        comments: moved.comments,
        attachments: moved.attachments,
        watchers,
      },
    });
    await record(db, actor, 'ticket.merged', { type: 'ticket', id: dup.id }, toView(dup), {
      ...toView(after),
      mergedInto: into.id,
      movedComments: moved.comments,
      movedAttachments: moved.attachments,
      addedWatchers: watchers,
    });
    return toView(after);
  });
}
