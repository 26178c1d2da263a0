import type { PresenceState, TicketPresence } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound, Unauthenticated } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { findVisibleTicket } from '../tickets/index.js';
import { userNames } from '../users/index.js';
import { LIVE_CHANNEL, type LiveHub } from './hub.js';
import { notify } from './live.repository.js';

/** Who else is on a ticket (agents and above; 404 for a ticket the caller may not see). */
export async function presenceOf(
  ctx: Ctx,
  hub: LiveHub,
  actor: Actor,
  ticketId: string,
): Promise<TicketPresence> {
  if (!(await findVisibleTicket(ctx.db, actor, ticketId))) throw NotFound('ticket');
  can(actor, 'ticket:work');
  const people = hub
    .presenceOf(ticketId, actor.userId)
    .map(({ userId, name, state }) => ({ userId, name, state }));
  return { ticketId, people };
}

/**
 * A heartbeat: the caller is viewing or replying to a ticket (or has gone). Not a change of record: it is told
 * to every Steward process (this one too) through the database's notifications, neither stored nor audited.
 */
export async function beat(
  ctx: Ctx,
  hub: LiveHub,
  actor: Actor,
  ticketId: string,
  state: PresenceState,
): Promise<TicketPresence> {
  const out = await presenceOf(ctx, hub, actor, ticketId);
  const userId = actor.userId;
  if (!userId) throw Unauthenticated();
  const name = (await userNames(ctx.db, [userId])).get(userId)?.name ?? actor.label;
  await notify(ctx.db, LIVE_CHANNEL, `presence:${JSON.stringify({ ticketId, userId, name, state })}`);
  return out;
}
