/** Tickets and configuration items: which items a ticket is about, and an item's tickets. */
import type { Ticket } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import { findVisibleTicket, ticketsOfItem } from '../tickets/index.js';
import * as repo from './cmdb.repository.js';

/** The items a visible ticket is about (requesters see those of their own tickets). */
export async function itemsOfTicket(ctx: Ctx, actor: Actor, ticketId: string) {
  if (!(await findVisibleTicket(ctx.db, actor, ticketId))) throw NotFound('ticket');
  const rows = await repo.itemsOfTicket(ctx.db, ticketId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      classKey: r.class_key,
      status: r.status,
      assetTag: r.asset_tag,
    })),
  };
}

/** Links a visible ticket to an item (agents and above). */
export async function linkTicketToItem(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  ciId: string,
): Promise<void> {
  await ctx.tx(async (db) => {
    if (!(await findVisibleTicket(db, actor, ticketId))) throw NotFound('ticket');
    can(actor, 'ci:write');
    if (!(await repo.findCi(db, ciId)))
      throw Invalid('unknown item', [{ path: 'body.ciId', message: 'no such item' }]);
    if (!(await repo.linkTicket(db, ticketId, ciId)))
      throw Conflict('the ticket is linked to this item already', 'link_exists');
    await record(db, actor, 'ticket.item_linked', { type: 'ticket', id: ticketId }, null, { ciId });
  });
}

/** Unlinks a visible ticket from an item (agents and above). */
export async function unlinkTicketFromItem(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  ciId: string,
): Promise<void> {
  await ctx.tx(async (db) => {
    if (!(await findVisibleTicket(db, actor, ticketId))) throw NotFound('ticket');
    can(actor, 'ci:write');
    if (!(await repo.unlinkTicket(db, ticketId, ciId))) throw NotFound('link');
    await record(db, actor, 'ticket.item_unlinked', { type: 'ticket', id: ticketId }, { ciId }, null);
  });
}

/** An item's tickets that the caller may see (open ones with `open`): its page lists its open incidents. */
export async function ticketsOfCi(ctx: Ctx, actor: Actor, ciId: string, open: boolean): Promise<Ticket[]> {
  canCmdb(actor, 'ci:read');
  if (!(await repo.findCi(ctx.db, ciId))) throw NotFound('item');
  return ticketsOfItem(ctx.db, actor, ciId, open);
}
