import { TICKET_PREFIX } from '../../../contracts/index.js';
import type {
  BulkUpdateTickets,
  Ticket,
  TicketSla,
  TicketStatus,
  TransitionTicket,
  UpdateTicket,
} from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { ticketSla } from '../sla/index.js';
import { applyChange, toView } from './change.js';
import * as repo from './tickets.repository.js';
import { FINAL_STATUSES, isAllowed, requireTransition } from './transitions.js';
import { visibleTo } from './visibility.js';

/** One ticket, if the caller may see it (404 otherwise). */
export async function getTicket(ctx: Ctx, actor: Actor, id: string): Promise<Ticket> {
  const row = await repo.findVisible(ctx.db, id, visibleTo(actor));
  if (!row) throw NotFound('ticket');
  return toView(row);
}

/** A ticket's SLA clocks read now (agents and above; 404 for a ticket the caller may not see). */
export async function getTicketSla(ctx: Ctx, actor: Actor, id: string): Promise<TicketSla> {
  const row = await repo.findVisible(ctx.db, id, visibleTo(actor));
  if (!row) throw NotFound('ticket');
  can(actor, 'sla:read');
  return ticketSla(ctx.db, id);
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

/** A ticket by its key (INC-42), if `actor` may see it. */
export async function findByKey(db: Db, actor: Actor, key: string): Promise<Ticket | undefined> {
  const m = /^(INC|REQ|PRB)-(\d{1,9})$/i.exec(key.trim());
  if (!m) return undefined;
  const type = ({ INC: 'incident', REQ: 'request', PRB: 'problem' } as const)[
    m[1]!.toUpperCase() as 'INC' | 'REQ' | 'PRB'
  ];
  const row = await repo.findByNumber(db, type, Number(m[2]), visibleTo(actor));
  return row ? toView(row) : undefined;
}

/** The visible tickets a bare number names (`3`: INC-3, REQ-3, PRB-3, whichever the actor may see). */
export async function findByNumber(db: Db, actor: Actor, n: number): Promise<Ticket[]> {
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) return [];
  return (await repo.findNumbered(db, n, visibleTo(actor))).map(toView);
}

/** A ticket by id, if `actor` may see it (inside a transaction). */
export async function findVisibleTicket(db: Db, actor: Actor, id: string): Promise<Ticket | undefined> {
  const row = await repo.findVisible(db, id, visibleTo(actor));
  return row ? toView(row) : undefined;
}

/** Which of `ids` the caller may see (live updates ask this per subscriber for each batch of changes). */
export async function visibleTicketIds(db: Db, actor: Actor, ids: readonly string[]): Promise<string[]> {
  return repo.visibleIds(db, ids, visibleTo(actor));
}

/** The keys (INC-42) of the tickets among `ids`, by id (for other modules that name tickets, as the audit log). */
export async function ticketKeys(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.numbersOf(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, `${TICKET_PREFIX[r.type]}-${r.number}`]));
}

/** Tickets about a configuration item that the caller may see, newest first (only open ones with `open`). */
export async function ticketsOfItem(db: Db, actor: Actor, ciId: string, open: boolean): Promise<Ticket[]> {
  return (await repo.ticketsOfCi(db, ciId, visibleTo(actor), open)).map(toView);
}

/**
 * Moves a ticket Steward itself works on (a restore carried out by an agent) to `status` in the caller's
 * transaction, along the table: a new or assigned ticket goes through in progress to resolved. Nothing happens
 * to a ticket the actor cannot see, that is final, or that is already there. Returns the ticket as it is.
 */
export async function moveTicketIn(
  db: Db,
  actor: Actor,
  id: string,
  status: 'in_progress' | 'resolved',
): Promise<Ticket | undefined> {
  let row = await repo.findVisible(db, id, visibleTo(actor), true);
  if (!row) return undefined;
  const steps: TicketStatus[] =
    status === 'resolved' && ['new', 'assigned'].includes(row.status) ? ['in_progress', status] : [status];
  let out = toView(row);
  for (const to of steps) {
    if (row.status === to || !isAllowed(row.status, to)) continue;
    out = await applyChange(db, actor, row, { status: to }, { action: 'ticket.transitioned' });
    row = await repo.reload(db, id);
  }
  return out;
}

/**
 * Routes a ticket Steward keeps for another module (a catalogue request's next fulfilment task) to `teamId`,
 * or cancels it (the request was rejected), in the caller's transaction. Nothing happens to a ticket the actor
 * cannot see, that is final, or that is already so. Returns the ticket as it is.
 */
export async function followTicketIn(
  db: Db,
  actor: Actor,
  id: string,
  change: { teamId: string } | { status: 'cancelled' },
): Promise<Ticket | undefined> {
  const row = await repo.findVisible(db, id, visibleTo(actor), true);
  if (!row || FINAL_STATUSES.includes(row.status)) return row && toView(row);
  if ('teamId' in change) {
    if (row.team_id === change.teamId) return toView(row);
    return applyChange(db, actor, row, { teamId: change.teamId }, { action: 'ticket.updated' });
  }
  if (!isAllowed(row.status, 'cancelled')) return toView(row);
  return applyChange(db, actor, row, { status: 'cancelled' }, { action: 'ticket.transitioned' });
}
