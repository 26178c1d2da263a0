import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { escapeLike } from '../../platform/sql.js';

const COLUMNS = ['id', 'name', 'description', 'security', 'created_at', 'updated_at', 'version'] as const;

/** A team row. */
export type TeamRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** One team by id. */
export async function findById(db: Db, id: string) {
  return db.selectFrom('teams').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One team by name, case-insensitively. */
export async function findByName(db: Db, name: string) {
  return db
    .selectFrom('teams')
    .select(COLUMNS)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

/** A page of teams ordered by name, after the keyset position `after`. */
export async function page(
  db: Db,
  opts: { q?: string | undefined; after?: [string, string]; limit: number },
) {
  let query = db.selectFrom('teams').select(COLUMNS);
  if (opts.q) query = query.where(sql<string>`lower(name)`, 'like', `%${escapeLike(opts.q.toLowerCase())}%`);
  if (opts.after) {
    const [name, id] = opts.after;
    query = query.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
  }
  return query
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(opts.limit)
    .execute();
}

/** Inserts a team. */
export async function insert(db: Db, t: { name: string; description: string; security: boolean }) {
  return db.insertInto('teams').values(t).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Updates a team if it is still at `version`; undefined when it is not (stale or gone). */
export async function update(
  db: Db,
  id: string,
  version: number,
  patch: { name?: string; description?: string; security?: boolean },
) {
  return db
    .updateTable('teams')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Deletes a team. */
export async function remove(db: Db, id: string): Promise<void> {
  await db.deleteFrom('teams').where('id', '=', id).execute();
}

/** Member ids of each team. */
export async function membersOf(db: Db, teamIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return out;
  const rows = await db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('team_id', 'in', teamIds)
    .orderBy('user_id')
    .execute();
  for (const r of rows) out.get(r.team_id)?.push(r.user_id);
  return out;
}

/** Team ids of each user. */
export async function teamsOf(db: Db, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('user_id', 'in', userIds)
    .orderBy('team_id')
    .execute();
  for (const r of rows) out.get(r.user_id)?.push(r.team_id);
  return out;
}

/** Replaces a team's members. */
export async function setMembers(db: Db, teamId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (userIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(userIds.map((user_id) => ({ team_id: teamId, user_id })))
      .execute();
  }
}

/** Replaces a user's teams. */
export async function setTeamsOfUser(db: Db, userId: string, teamIds: readonly string[]): Promise<void> {
  await db.deleteFrom('team_members').where('user_id', '=', userId).execute();
  if (teamIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(teamIds.map((team_id) => ({ team_id, user_id: userId })))
      .execute();
  }
}

/** Which of `ids` exist. */
export async function existing(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('teams').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The names of teams by id (those that exist). */
export async function names(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every membership with its team's name, by team name. */
export async function memberships(db: Db) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['m.team_id', 't.name as team_name', 'm.user_id'])
    .orderBy(sql`lower(t.name)`)
    .orderBy('m.user_id')
    .execute();
}

/** Removes one member from a team; false when they were not a member. */
export async function removeMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Which of `userIds` are members of a security team. */
export async function securityTeamMembers(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const r = await db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select('m.user_id')
    .distinct()
    .where('m.user_id', 'in', userIds)
    .where('t.security', '=', true)
    .execute();
  return new Set(r.map((x) => x.user_id));
}
