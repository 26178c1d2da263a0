import { sql } from 'kysely';
import type { Locale, Role } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import { escapeLike } from '../../platform/sql.js';

const COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'active',
  'locale',
  'manager_id',
  'created_at',
  'updated_at',
  'version',
] as const;

/** A user row, without secrets. */
export type UserRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** One user by id. */
export async function findById(db: Db, id: string) {
  return db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One user by e-mail (case-insensitive), with the password hash, for sign-in. */
export async function findForLogin(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select([...COLUMNS, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** One user by id with the password hash, to check a password change. */
export async function findWithHash(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select([...COLUMNS, 'password_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of users ordered by name, after the keyset position `after`. */
export async function page(
  db: Db,
  opts: {
    q?: string | undefined;
    role?: Role | undefined;
    active?: boolean | undefined;
    teamId?: string | undefined;
    after?: [string, string] | undefined;
    limit: number;
  },
) {
  let query = db.selectFrom('users').select(COLUMNS);
  if (opts.q) {
    const like = `%${escapeLike(opts.q.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(name)`, 'like', like), eb(sql<string>`lower(email)`, 'like', like)]),
    );
  }
  if (opts.role) query = query.where('role', '=', opts.role);
  if (opts.active !== undefined) query = query.where('active', '=', opts.active);
  if (opts.teamId) {
    const teamId = opts.teamId;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('team_members').select('user_id').where('team_id', '=', teamId),
    );
  }
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

/** Inserts a user. */
export async function insert(
  db: Db,
  u: { email: string; name: string; role: Role; password_hash: string | null },
) {
  return db.insertInto('users').values(u).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Updates a user if still at `version`; undefined when stale or gone. */
export async function update(
  db: Db,
  id: string,
  version: number,
  patch: {
    email?: string;
    name?: string;
    role?: Role;
    active?: boolean;
    password_hash?: string;
    locale?: Locale | null;
    manager_id?: string | null;
  },
) {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Which of `ids` exist. */
export async function existing(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The active admins' ids, oldest first. */
export async function activeAdminIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Names and addresses of the users among `ids`. */
export async function names(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; name: string; email: string; active: boolean }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name', 'email', 'active']).where('id', 'in', ids).execute();
}

/**
 * Locks every active admin's row (in id order, so that parallel callers queue instead of deadlocking) and
 * returns their ids. A change that removes an admin calls this first in its transaction: a concurrent one
 * waits, then sees the committed result, so two admins removing each other at once cannot both succeed.
 */
export async function lockActiveAdmins(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Number of users. */
export async function count(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The roles of the users among `ids` (active or not). */
export async function rolesOf(db: Db, ids: readonly string[]): Promise<Map<string, Role>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'role']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.role]));
}

/**
 * Active users, by name (of `roles` only, when given): the people a policy campaign or a review asks. All of
 * them: a campaign that silently left some out would be wrong.
 */
export async function activeByRole(
  db: Db,
  roles?: readonly ('requester' | 'agent' | 'manager' | 'admin')[],
): Promise<{ id: string; name: string; role: string }[]> {
  let q = db.selectFrom('users').select(['id', 'name', 'role']).where('active', '=', true);
  if (roles) q = q.where('role', 'in', roles);
  return q.orderBy('name').orderBy('id').execute();
}

/** The line manager of a user (an active one), or undefined. */
export async function managerOf(db: Db, userId: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('users as u')
    .innerJoin('users as m', 'm.id', 'u.manager_id')
    .select(['m.id', 'm.name'])
    .where('u.id', '=', userId)
    .where('m.active', '=', true)
    .executeTakeFirst();
}

/**
 * Active people whose name or e-mail contains `q` (case-insensitive), those whose name or e-mail starts with it
 * first, then by name: the staff directory's look-up.
 */
export async function findPeople(
  db: Db,
  q: string,
  limit: number,
): Promise<{ id: string; name: string; email: string }[]> {
  const low = escapeLike(q.toLowerCase());
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(name)`, 'like', `%${low}%`),
        eb(sql<string>`lower(email)`, 'like', `%${low}%`),
      ]),
    )
    .orderBy(sql`CASE WHEN lower(name) LIKE ${`${low}%`} OR lower(email) LIKE ${`${low}%`} THEN 0 ELSE 1 END`)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}
