import type { Role } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { securityTeamMembers } from '../teams/index.js';

/**
 * Which of `people` handle security incidents: admins, and members of a security team who work tickets. One
 * query, whatever their number (notifications ask it of every recipient of an event).
 */
export async function handlingSecurity(
  db: Db,
  people: readonly { userId: string; role: Role }[],
): Promise<Set<string>> {
  const workers = people.filter((p) => allows({ role: p.role } as Actor, 'ticket:work'));
  const members = await securityTeamMembers(
    db,
    workers.filter((p) => p.role !== 'admin').map((p) => p.userId),
  );
  return new Set(workers.filter((p) => p.role === 'admin' || members.has(p.userId)).map((p) => p.userId));
}

/** Whether the actor handles security incidents: an admin, or a member of a security team who works tickets. */
export async function handlesSecurity(db: Db, actor: Pick<Actor, 'role' | 'userId'>): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (!actor.userId) return false;
  return (await handlingSecurity(db, [{ userId: actor.userId, role: actor.role }])).has(actor.userId);
}
