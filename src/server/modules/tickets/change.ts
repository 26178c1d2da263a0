import {
  type PendingReason,
  TICKET_PREFIX,
  type Ticket,
  type TicketStatus,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import { Conflict, Invalid, Stale } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import * as categories from '../categories/index.js';
import * as settings from '../settings/index.js';
import { FINAL_STATUSES, priorityOf, requireTransition } from './transitions.js';
import { refreshSla } from '../sla/index.js';
import { notifyChange } from './notify.js';
import * as repo from './tickets.repository.js';
import type { TicketPatch, TicketRow } from './tickets.repository.js';

/** The API view of a ticket row. */
export function toView(r: TicketRow): Ticket {
  return {
    id: r.id,
    key: `${TICKET_PREFIX[r.type]}-${r.number}`,
    type: r.type,
    number: r.number,
    title: r.title,
    description: r.description,
    status: r.status,
    pendingReason: r.pending_reason,
    requesterId: r.requester_id,
    teamId: r.team_id,
    assigneeId: r.assignee_id,
    categoryId: r.category_id,
    impact: r.impact,
    urgency: r.urgency,
    priority: r.priority,
    priorityOverridden: r.priority_override,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    firstResponseAt: r.first_response_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    csatRating: r.csat_rating,
    csatComment: r.csat_comment,
    security: r.security,
    version: r.version,
  };
}

/** What one change to a ticket may ask for (PATCH, a transition, one ticket of a bulk update, CSAT). */
export interface Change {
  title?: string | undefined;
  description?: string | undefined;
  teamId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  categoryId?: string | null | undefined;
  impact?: number | undefined;
  urgency?: number | undefined;
  priorityOverride?: number | null | undefined;
  status?: TicketStatus | undefined;
  pendingReason?: PendingReason | undefined;
  csatRating?: number | undefined;
  csatComment?: string | undefined;
}

/** Checks a team id from a request. */
export async function requireTeam(db: Db, teamId: string): Promise<void> {
  if (!(await repo.teamExists(db, teamId))) {
    throw Invalid('unknown team', [{ path: 'body.teamId', message: 'no such team' }]);
  }
}

/** An assignee must be an active agent, manager or admin, and a member of the ticket's team if it has one. */
export async function requireAssignee(db: Db, userId: string, teamId: string | null): Promise<void> {
  const role = await repo.activeUserRole(db, userId);
  if (!role || role === 'requester') {
    throw Invalid('the assignee must be an active agent, manager or admin', [
      { path: 'body.assigneeId', message: 'not an active agent, manager or admin' },
    ]);
  }
  if (teamId && !(await repo.isMember(db, teamId, userId))) {
    throw Invalid('the assignee is not a member of the ticket’s team', [
      { path: 'body.assigneeId', message: 'not a member of the team' },
    ]);
  }
}

/** Checks a category id from a request. */
export async function requireCategory(db: Db, categoryId: string): Promise<void> {
  if (!(await categories.categoryExists(db, categoryId))) {
    throw Invalid('unknown category', [{ path: 'body.categoryId', message: 'no such category' }]);
  }
}

/** Fields whose changes appear in the timeline, with their view names. */
const TRACKED: [keyof TicketPatch, keyof Ticket][] = [
  ['title', 'title'],
  ['description', 'description'],
  ['team_id', 'teamId'],
  ['assignee_id', 'assigneeId'],
  ['category_id', 'categoryId'],
  ['impact', 'impact'],
  ['urgency', 'urgency'],
  ['priority', 'priority'],
  ['priority_override', 'priorityOverridden'],
  ['pending_reason', 'pendingReason'],
];

/**
 * Applies one change to a locked, visible ticket in the caller's transaction: validates routing, recomputes
 * the priority from the matrix unless overridden by hand, walks the state machine, sets the lifecycle
 * timestamps, writes the row (at `version` when given: 412 when stale), a timeline event per changed field,
 * and the audit entry. Permission checks are the caller's.
 */
export async function applyChange(
  db: Db,
  actor: Actor,
  current: TicketRow,
  change: Change,
  opts: { version?: number | undefined; action?: string } = {},
): Promise<Ticket> {
  if (opts.version !== undefined && current.version !== opts.version) throw Stale();
  if (FINAL_STATUSES.includes(current.status)) {
    // A status move out of a final status is an illegal transition like any other (409 naming the moves).
    if (change.status !== undefined && change.status !== current.status)
      requireTransition(current.status, change.status);
    throw Conflict(`the ticket is ${current.status}: it can no longer change`, 'ticket_final');
  }
  const now = new Date();
  const patch: TicketPatch = {};
  if (change.title !== undefined) patch.title = change.title;
  if (change.description !== undefined) patch.description = change.description;

  // Routing: a team change drops an assignee who is not a member of the new team, unless one is named.
  const team = change.teamId !== undefined ? change.teamId : current.team_id;
  if (change.teamId && change.teamId !== current.team_id) await requireTeam(db, change.teamId);
  let assignee = change.assigneeId !== undefined ? change.assigneeId : current.assignee_id;
  if (change.assigneeId) await requireAssignee(db, change.assigneeId, team);
  else if (change.assigneeId === undefined && assignee && team && team !== current.team_id) {
    if (!(await repo.isMember(db, team, assignee))) assignee = null;
  }
  patch.team_id = team;
  patch.assignee_id = assignee;
  if (change.categoryId !== undefined) {
    if (change.categoryId) await requireCategory(db, change.categoryId);
    patch.category_id = change.categoryId;
  }

  // Priority: the matrix decides unless someone set it by hand (which a null override undoes).
  const impact = change.impact ?? current.impact;
  const urgency = change.urgency ?? current.urgency;
  patch.impact = impact;
  patch.urgency = urgency;
  let override = current.priority_override;
  let priority = current.priority;
  if (change.priorityOverride !== undefined && change.priorityOverride !== null) {
    override = true;
    priority = change.priorityOverride;
  } else if (change.priorityOverride === null) {
    override = false;
  }
  if (
    !override &&
    (change.priorityOverride === null || impact !== current.impact || urgency !== current.urgency)
  ) {
    priority = priorityOf(await settings.priorityMatrixOf(db), urgency, impact);
  }
  patch.priority = priority;
  patch.priority_override = override;

  // Status: an explicit move must be in the table; assigning a new ticket moves it to `assigned`.
  let status = current.status;
  if (change.status !== undefined && change.status !== current.status) {
    requireTransition(current.status, change.status);
    if (current.status === 'resolved' && change.status === 'in_progress') {
      await requireReopenWindow(db, current);
    }
    status = change.status;
  } else if (change.status === undefined && current.status === 'new' && assignee && !current.assignee_id) {
    status = 'assigned';
  } else if (change.status === undefined && current.status === 'assigned' && !assignee) {
    // Unassigned (or routed to a team its assignee is not in): it goes back to the queue as new. These two
    // automatic moves follow from the assignment, not from the table, which governs explicit moves.
    status = 'new';
  }
  if (status === 'pending') {
    const reason = change.pendingReason ?? (current.status === 'pending' ? current.pending_reason : null);
    if (!reason) {
      throw Invalid('a pending ticket needs a pending reason', [
        { path: 'body.pendingReason', message: 'required: requester, vendor or change' },
      ]);
    }
    patch.pending_reason = reason;
  } else {
    if (change.pendingReason !== undefined) {
      throw Invalid('a pending reason is only for pending tickets', [
        { path: 'body.pendingReason', message: 'only with status pending' },
      ]);
    }
    patch.pending_reason = null;
  }
  if (status === 'assigned' && !assignee) {
    throw Conflict('an assigned ticket needs an assignee', 'assignee_required', [
      { path: 'body.assigneeId', message: 'required for status assigned' },
    ]);
  }
  if (status !== current.status) {
    patch.status = status;
    if (status === 'resolved') patch.resolved_at = now;
    if (current.status === 'resolved' && status === 'in_progress') patch.resolved_at = null;
    if (status === 'closed') patch.closed_at = now;
  }
  if (change.csatRating !== undefined) patch.csat_rating = change.csatRating;
  if (change.csatComment !== undefined) patch.csat_comment = change.csatComment;

  const changed = (Object.keys(patch) as (keyof TicketPatch)[]).some(
    (k) => JSON.stringify(patch[k]) !== JSON.stringify(current[k as keyof TicketRow] ?? null),
  );
  // Nothing to change (e.g. setting the current assignee again): no write, no version bump, no audit entry.
  if (!changed) return toView(current);
  const updated = await repo.update(db, current.id, patch, opts.version);
  if (!updated) throw Stale();
  const row = await repo.reload(db, current.id);
  const before = toView(current);
  const after = toView(row);
  const event = { ticketId: current.id, actorId: actor.userId, actorLabel: actor.label };
  for (const [, field] of TRACKED) {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) continue;
    // Long texts are noted as changed, not copied into every timeline event.
    const big = field === 'description';
    await repo.insertEvent(db, {
      ...event,
      kind: 'field',
      field,
      from: big ? null : before[field],
      to: big ? null : after[field],
    });
  }
  if (before.status !== after.status) {
    await repo.insertEvent(db, {
      ...event,
      kind: 'status',
      field: 'status',
      from: before.status,
      to: after.status,
    });
  }
  await record(
    db,
    actor,
    opts.action ?? 'ticket.updated',
    { type: 'ticket', id: current.id },
    { ...before },
    { ...after },
  );
  // The SLA projection follows every change, in the same transaction; so do the notifications.
  await refreshSla(db, [current.id]);
  await notifyChange(db, actor, before, after);
  return after;
}

/** Reopening a resolved ticket is allowed only within the configured window after its resolution. */
async function requireReopenWindow(db: Db, current: TicketRow): Promise<void> {
  const days = await settings.reopenWindowDaysOf(db);
  const resolvedAt = current.resolved_at ?? current.updated_at;
  if (Date.now() - resolvedAt.getTime() > days * 86_400_000) {
    throw Conflict(
      `the ticket was resolved more than ${days} day(s) ago and can no longer be reopened: open a new one`,
      'reopen_window_closed',
    );
  }
}
