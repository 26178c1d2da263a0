import type { Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { inSecurityTeam } from '../teams/index.js';

/** Whether the actor handles security incidents: an admin, or a member of a security team who works tickets. */
export async function handlesSecurity(db: Db, actor: Pick<Actor, 'role' | 'userId'>): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (!actor.userId || !allows(actor as Actor, 'ticket:work')) return false;
  return inSecurityTeam(db, actor.userId);
}
