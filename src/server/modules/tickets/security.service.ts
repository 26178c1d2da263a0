/**
 * Security incidents: a ticket flagged `security` is seen only by admins and the members of the security teams
 * (visibility.ts). Flagging and unflagging is theirs to do too, audited; someone who may not see the ticket is
 * told it does not exist.
 */
import type { Ticket } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { toView } from './change.js';
import { handlesSecurity } from './security-rule.js';
import * as repo from './tickets.repository.js';
import { visibleTo } from './visibility.js';

/** Flags a visible ticket as a security incident, or clears the flag (admins and security teams). */
export async function setSecurityFlag(
  ctx: Ctx,
  actor: Actor,
  id: string,
  security: boolean,
): Promise<Ticket> {
  return ctx.tx(async (db) => {
    const current = await repo.findVisible(db, id, visibleTo(actor), true);
    if (!current) throw NotFound('ticket');
    if (!(await handlesSecurity(db, actor)))
      throw Forbidden('only admins and the security team mark security incidents');
    if (current.security === security) return toView(current);
    const row = await repo.setSecurity(db, id, security);
    if (!row) throw NotFound('ticket');
    await record(
      db,
      actor,
      'ticket.security_changed',
      { type: 'ticket', id },
      { security: current.security },
      { security },
    );
    return toView(row);
  });
}
