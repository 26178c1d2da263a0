/**
 * What a campaign reviews, read from the owning modules at its start: team memberships (decided by the team's
 * leads: its members who are managers), roles above requester (decided by admins) and credential shares (decided
 * by the people who manage the credential). Nobody reviews their own holding; when that leaves nobody, the
 * admins decide.
 */
import type { ReviewKind } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import { allMemberships, teamNames } from '../teams/index.js';
import { activeAdminIds, roleHolders, rolesOf, userNames } from '../users/index.js';
import { credentialHoldings } from '../vault/index.js';
import type { NewItem } from './reviews.repository.js';

/** The reviewers of a holding of `holder`: `owners` but the holder, else the admins. */
function reviewers(owners: readonly string[], admins: readonly string[], holder: string | null): string[] {
  const others = [...new Set(owners)].filter((id) => id !== holder);
  if (others.length > 0) return others;
  const otherAdmins = admins.filter((id) => id !== holder);
  return otherAdmins.length > 0 ? otherAdmins : [...admins];
}

async function teamItems(db: Db, admins: string[]): Promise<NewItem[]> {
  const rows = await allMemberships(db);
  const userIds = [...new Set(rows.map((r) => r.user_id))];
  const [names, roles] = await Promise.all([userNames(db, userIds), rolesOf(db, userIds)]);
  const leads = new Map<string, string[]>();
  for (const r of rows)
    if (roles.get(r.user_id) === 'manager' && names.get(r.user_id)?.active)
      leads.set(r.team_id, [...(leads.get(r.team_id) ?? []), r.user_id]);
  return rows.map((r) => ({
    kind: 'team',
    user_id: r.user_id,
    team_id: r.team_id,
    ci_id: null,
    role: null,
    holder: names.get(r.user_id)?.name ?? 'a removed user',
    holding: `member of ${r.team_name}`,
    reviewer_ids: reviewers(leads.get(r.team_id) ?? [], admins, r.user_id),
  }));
}

async function roleItems(db: Db, admins: string[]): Promise<NewItem[]> {
  return (await roleHolders(db)).map((u) => ({
    kind: 'role',
    user_id: u.id,
    team_id: null,
    ci_id: null,
    role: u.role,
    holder: u.name,
    holding: `role ${u.role}`,
    reviewer_ids: reviewers(admins, admins, u.id),
  }));
}

async function credentialItems(db: Db, admins: string[]): Promise<NewItem[]> {
  const shares = await credentialHoldings(db);
  const users = await userNames(
    db,
    shares.flatMap((s) => (s.userId ? [s.userId] : [])),
  );
  const teams = await teamNames(
    db,
    shares.flatMap((s) => (s.teamId ? [s.teamId] : [])),
  );
  return shares.map((s) => ({
    kind: 'credential',
    user_id: s.userId,
    team_id: s.teamId,
    ci_id: s.ciId,
    role: s.level,
    holder: s.userId ? (users.get(s.userId)?.name ?? 'a removed user') : (teams.get(s.teamId!) ?? 'a team'),
    holding: `${s.level === 'manage' ? 'manages' : 'may reveal'} “${s.credential}”`,
    reviewer_ids: reviewers(s.managerIds, admins, s.userId),
  }));
}

/** The holdings of the kinds in `scope`, as items to review. */
export async function holdings(db: Db, scope: readonly ReviewKind[]): Promise<NewItem[]> {
  const admins = await activeAdminIds(db);
  const out: NewItem[] = [];
  if (scope.includes('team')) out.push(...(await teamItems(db, admins)));
  if (scope.includes('role')) out.push(...(await roleItems(db, admins)));
  if (scope.includes('credential')) out.push(...(await credentialItems(db, admins)));
  return out;
}
