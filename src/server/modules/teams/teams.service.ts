import type { CreateTeam, Team, TeamQuery, UpdateTeam } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import * as users from '../users/index.js';
import * as repo from './teams.repository.js';
import type { TeamRow } from './teams.repository.js';

function toView(r: TeamRow, memberIds: string[]): Team {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    memberIds,
    security: r.security,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

async function view(db: Db, r: TeamRow): Promise<Team> {
  const m = await repo.membersOf(db, [r.id]);
  return toView(r, m.get(r.id) ?? []);
}

const nameTaken = () =>
  Conflict('a team with this name already exists', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

async function requireUsers(db: Db, ids: readonly string[]): Promise<void> {
  const found = await users.existingUserIds(db, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw Invalid('unknown user', [
      { path: 'body.memberIds', message: `no such user: ${missing.join(', ')}` },
    ]);
  }
}

/** Lists teams. */
export async function listTeams(ctx: Ctx, actor: Actor, q: TeamQuery) {
  can(actor, 'team:read');
  const after = decodeCursor(q.cursor, BY_NAME);
  const rows = await repo.page(ctx.db, { q: q.q, ...(after ? { after } : {}), limit: q.limit + 1 });
  const m = await repo.membersOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return pageFrom(
    rows,
    q.limit,
    (r) => toView(r, m.get(r.id) ?? []),
    (r) => [r.name.toLowerCase(), r.id],
  );
}

/** One team; 404 to those who may not see teams. */
export async function getTeam(ctx: Ctx, actor: Actor, id: string): Promise<Team> {
  if (!allows(actor, 'team:read')) throw NotFound('team');
  const r = await repo.findById(ctx.db, id);
  if (!r) throw NotFound('team');
  return view(ctx.db, r);
}

/** A team's name, for lines people read ("reassigned to Tier 2"); undefined when it is gone. */
export async function teamName(db: Db, id: string): Promise<string | undefined> {
  return (await repo.findById(db, id))?.name;
}

/** Creates a team. */
export async function createTeam(ctx: Ctx, actor: Actor, input: CreateTeam): Promise<Team> {
  can(actor, 'team:write');
  try {
    return await ctx.tx(async (db) => {
      if (await repo.findByName(db, input.name)) throw nameTaken();
      const members = [...new Set(input.memberIds)];
      await requireUsers(db, members);
      const row = await repo.insert(db, {
        name: input.name,
        description: input.description,
        security: input.security,
      });
      await repo.setMembers(db, row.id, members);
      const team = toView(row, members.sort());
      await record(db, actor, 'team.created', { type: 'team', id: row.id }, null, { ...team });
      return team;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Updates a team at `version`. */
export async function updateTeam(ctx: Ctx, actor: Actor, id: string, version: number, input: UpdateTeam) {
  if (!allows(actor, 'team:read')) throw NotFound('team');
  can(actor, 'team:write');
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findById(db, id);
      if (!current) throw NotFound('team');
      if (current.version !== version) throw Stale();
      if (input.name) {
        const other = await repo.findByName(db, input.name);
        if (other && other.id !== id) throw nameTaken();
      }
      const members = input.memberIds ? [...new Set(input.memberIds)] : undefined;
      if (members) await requireUsers(db, members);
      const before = await view(db, current);
      const row = await repo.update(db, id, version, {
        name: input.name,
        description: input.description,
        security: input.security,
      });
      if (!row) throw Stale();
      if (members) await repo.setMembers(db, id, members);
      const after = await view(db, row);
      await record(db, actor, 'team.updated', { type: 'team', id }, { ...before }, { ...after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Deletes a team (its memberships go with it). */
export async function deleteTeam(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  if (!allows(actor, 'team:read')) throw NotFound('team');
  can(actor, 'team:write');
  await ctx.tx(async (db) => {
    const current = await repo.findById(db, id);
    if (!current) throw NotFound('team');
    const before = await view(db, current);
    await repo.remove(db, id);
    await record(db, actor, 'team.deleted', { type: 'team', id }, { ...before }, null);
  });
}

/** Team ids of each user (for other modules). */
export const teamIdsOf = (db: Db, userIds: readonly string[]) => repo.teamsOf(db, userIds);
/** Member ids of each team (for other modules: change approvers). */
export const teamMemberIds = (db: Db, teamIds: readonly string[]) => repo.membersOf(db, teamIds);
/** Which of `ids` are teams (for other modules). */
export const existingTeamIds = (db: Db, ids: readonly string[]) => repo.existing(db, ids);
/** Replaces a user's team memberships (for the users module). */
export const setTeamsOfUser = (db: Db, userId: string, teamIds: readonly string[]) =>
  repo.setTeamsOfUser(db, userId, [...new Set(teamIds)]);
/** The names of teams by id (for other modules). */
export const teamNames = (db: Db, ids: readonly string[]) => repo.names(db, [...new Set(ids)]);
/** The members of teams (for other modules). */
export const teamMembers = async (db: Db, ids: readonly string[]) => [
  ...new Set([...(await repo.membersOf(db, [...new Set(ids)])).values()].flat()),
];
/** Every team membership with the team's name (for access reviews). */
export const allMemberships = (db: Db) => repo.memberships(db);

/**
 * Takes a user out of a team (an access review's revocation), in the caller's transaction, audited as done by
 * `actor`; 'already gone' when they were no longer a member.
 */
export async function removeMember(
  db: Db,
  actor: Actor,
  teamId: string,
  userId: string,
  why: string,
): Promise<'revoked' | 'already gone'> {
  if (!(await repo.removeMember(db, teamId, userId))) return 'already gone';
  await record(db, actor, 'team.member_removed', { type: 'team', id: teamId }, { userId }, { userId, why });
  return 'revoked';
}

/** Which of the users are members of a security team (security incidents). */
export const securityTeamMembers = (db: Db, userIds: readonly string[]) =>
  repo.securityTeamMembers(db, userIds);
