import type {
  BulkUpdateTickets,
  CreateTicket,
  Ticket,
  TransitionTicket,
  UpdateTicket,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { applyRouting } from '../routing/index.js';
import * as settings from '../settings/index.js';
import { applyChange, requireAssignee, requireCategory, requireTeam, toView } from './change.js';
import * as repo from './tickets.repository.js';
import { priorityOf, requireTransition } from './transitions.js';
import { visibleTo } from './visibility.js';

/**
 * Opens a ticket. Requesters open for themselves only and cannot route it or set its priority by hand
 * (403); agents and above may open on behalf of an active user (`requesterId`), route it, and override the
 * priority. The number is allocated inside the creating transaction.
 */
export async function createTicket(ctx: Ctx, actor: Actor, input: CreateTicket): Promise<Ticket> {
  can(actor, 'ticket:create');
  const works = allows(actor, 'ticket:work');
  if (!works) {
    if (input.requesterId !== undefined && input.requesterId !== actor.userId) {
      throw Forbidden('only agents may open a ticket on behalf of someone else');
    }
    if (
      input.teamId !== undefined ||
      input.assigneeId !== undefined ||
      input.priorityOverride !== undefined
    ) {
      throw Forbidden('only agents may route a ticket or set its priority by hand');
    }
  }
  const requesterId = input.requesterId ?? actor.userId;
  if (!requesterId)
    throw Invalid('a ticket needs a requester', [{ path: 'body.requesterId', message: 'required' }]);
  return ctx.tx(async (db) => {
    if (input.requesterId !== undefined && !(await repo.activeUserRole(db, input.requesterId))) {
      throw Invalid('unknown requester', [{ path: 'body.requesterId', message: 'no such active user' }]);
    }
    if (input.teamId) await requireTeam(db, input.teamId);
    if (input.assigneeId) await requireAssignee(db, input.assigneeId, input.teamId ?? null);
    if (input.categoryId) await requireCategory(db, input.categoryId);
    const matrixPriority = priorityOf(await settings.priorityMatrixOf(db), input.urgency, input.impact);
    const number = await repo.nextNumber(db, input.type);
    const id = await repo.insert(db, {
      type: input.type,
      number,
      title: input.title,
      description: input.description,
      requester_id: requesterId,
      team_id: input.teamId ?? null,
      assignee_id: input.assigneeId ?? null,
      category_id: input.categoryId ?? null,
      impact: input.impact,
      urgency: input.urgency,
      priority: input.priorityOverride ?? matrixPriority,
      priority_override: input.priorityOverride !== undefined,
      status: input.assigneeId ? 'assigned' : 'new',
      pending_reason: null,
    });
    let ticket = toView(await repo.reload(db, id));
    await repo.insertEvent(db, {
      ticketId: id,
      actorId: actor.userId,
      actorLabel: actor.label,
      kind: 'created',
      field: null,
      from: null,
      to: { status: ticket.status, priority: ticket.priority, priorityOverridden: ticket.priorityOverridden },
    });
    // Routing rules run in the creating transaction, so nobody ever sees the ticket unrouted.
    if ((await applyRouting(db, ticket)).changed) ticket = toView(await repo.reload(db, id));
    await record(db, actor, 'ticket.opened', { type: 'ticket', id }, null, { ...ticket });
    return ticket;
  });
}

/** One ticket, if the caller may see it (404 otherwise). */
export async function getTicket(ctx: Ctx, actor: Actor, id: string): Promise<Ticket> {
  const row = await repo.findVisible(ctx.db, id, visibleTo(actor));
  if (!row) throw NotFound('ticket');
  return toView(row);
}

/** Changes a ticket at `version` (agents and above; 412 when stale). */
export async function updateTicket(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateTicket,
): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const current = await repo.findVisible(db, id, visibleTo(actor), true);
    if (!current) throw NotFound('ticket');
    can(actor, 'ticket:work');
    return applyChange(db, actor, current, input, { version });
  });
}

/**
 * Moves a ticket to another status. Agents and above move along the transition table; a requester may only
 * cancel an open ticket they requested. `version` (from If-Match) is optional here.
 */
export async function transitionTicket(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number | undefined,
  input: TransitionTicket,
): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const current = await repo.findVisible(db, id, visibleTo(actor), true);
    if (!current) throw NotFound('ticket');
    if (!allows(actor, 'ticket:work')) {
      const ownCancel = input.status === 'cancelled' && current.requester_id === actor.userId;
      if (!ownCancel) throw Forbidden('requesters may only cancel their own tickets');
    }
    // "Move to where it is" is not in the table either; only a pending ticket may change its reason.
    const reasonChange = input.status === 'pending' && input.pendingReason !== undefined;
    if (input.status === current.status && !reasonChange) requireTransition(current.status, input.status);
    return applyChange(
      db,
      actor,
      current,
      { status: input.status, pendingReason: input.pendingReason },
      { version, action: 'ticket.transitioned' },
    );
  });
}

/**
 * Applies one patch to many tickets, all or nothing: every id must be visible to the caller (otherwise the
 * whole request is a 404 and nothing is written), and each ticket is checked and audited on its own.
 */
export async function bulkUpdateTickets(ctx: Ctx, actor: Actor, input: BulkUpdateTickets): Promise<Ticket[]> {
  const ids = [...new Set(input.ids)];
  return ctx.tx(async (db) => {
    const rows = await repo.lockVisible(db, ids, visibleTo(actor));
    if (rows.length !== ids.length) throw NotFound('ticket');
    can(actor, 'ticket:work');
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: Ticket[] = [];
    for (const id of input.ids) {
      const row = byId.get(id);
      if (!row) continue;
      byId.delete(id);
      out.push(await applyChange(db, actor, row, input.patch, { action: 'ticket.bulk_updated' }));
    }
    return out;
  });
}
