import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** Which macros a person may see and use: theirs, their teams', and (managers, admins) every team's. */
export interface Reach {
  userId: string;
  allTeams: boolean;
}

function reachable(r: Reach) {
  return sql<boolean>`(m.owner_id = ${r.userId} OR m.team_id IN (SELECT tm.team_id FROM team_members tm
    WHERE tm.user_id = ${r.userId})${r.allTeams ? sql` OR m.team_id IS NOT NULL` : sql``})`;
}

function select(db: Db) {
  return db
    .selectFrom('macros as m')
    .leftJoin('teams as tt', 'tt.id', 'm.team_id')
    .select([
      'm.id',
      'm.owner_id',
      'm.team_id',
      'tt.name as team_name',
      'm.name',
      'm.body',
      'm.internal',
      'm.changes',
      'm.created_at',
      'm.updated_at',
      'm.version',
    ]);
}

/** A macro row with its team's name. */
export type MacroRow = NonNullable<Awaited<ReturnType<typeof findReachable>>>;

/** One macro the person may use; anyone else's personal macro (or a foreign team's) is not found. */
export async function findReachable(db: Db, reach: Reach, id: string) {
  return select(db).where('m.id', '=', id).where(reachable(reach)).executeTakeFirst();
}

/** Every macro the person may use: personal first, then by team, then by name. */
export async function listReachable(db: Db, reach: Reach) {
  return select(db)
    .where(reachable(reach))
    .orderBy(sql`m.team_id IS NOT NULL`)
    .orderBy(sql`lower(tt.name)`)
    .orderBy(sql`lower(m.name)`)
    .limit(500)
    .execute();
}

/** Whether a team exists. */
export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return !!(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst());
}

/** A new macro (the unique indexes refuse a second name in the same scope). */
export async function insert(
  db: Db,
  m: {
    owner_id: string | null;
    team_id: string | null;
    name: string;
    body: string;
    internal: boolean;
    changes: Record<string, unknown>;
    created_by: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('macros')
    .values({ ...m, changes: JSON.stringify(m.changes) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a macro at `version`; false when the version moved on. */
export async function update(
  db: Db,
  id: string,
  version: number,
  patch: { name?: string; body?: string; internal?: boolean; changes?: Record<string, unknown> },
): Promise<boolean> {
  const { changes, ...rest } = patch;
  const r = await db
    .updateTable('macros')
    .set({
      ...rest,
      ...(changes ? { changes: JSON.stringify(changes) } : {}),
      updated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Removes a macro. */
export async function remove(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('macros').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
