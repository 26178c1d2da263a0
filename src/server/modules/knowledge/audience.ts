/** The people a review or a campaign asks, from the users and teams modules' exported queries. */
import type { Db } from '../../platform/context.js';
import { teamMembers } from '../teams/index.js';
import { activeUsers } from '../users/index.js';
import type { CampaignRow } from './ack.repository.js';

type Role = 'requester' | 'agent' | 'manager' | 'admin';

/** Active users of `roles`, members of `teamId` only when given, by name. */
export async function people(
  db: Db,
  roles: readonly Role[] | undefined,
  teamId: string | null,
): Promise<{ id: string; name: string }[]> {
  const [all, members] = await Promise.all([
    activeUsers(db, roles),
    teamId ? teamMembers(db, [teamId]) : Promise.resolve(null),
  ]);
  const inTeam = members && new Set(members);
  return all.filter((u) => !inTeam || inTeam.has(u.id)).map((u) => ({ id: u.id, name: u.name }));
}

/** Who a campaign asks to acknowledge: everyone active, a role, or a team's members. */
export function targets(db: Db, c: Pick<CampaignRow, 'target' | 'role' | 'team_id'>) {
  return people(
    db,
    c.target === 'role' && c.role ? [c.role] : undefined,
    c.target === 'team' ? c.team_id : null,
  );
}
