import type {
  CreateUser,
  PeopleQuery,
  Person,
  UpdateUser,
  User,
  UserQuery,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { verifyPassword } from '../../platform/passwords.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import * as auth from '../auth/index.js';
import * as teams from '../teams/index.js';
import * as tokens from '../tokens/index.js';
import { issueLink, type LinkSettings } from './links.service.js';
import { strongHash } from './password.js';
import * as repo from './users.repository.js';
import type { UserRow } from './users.repository.js';

/** The API view of a user row. */
export function toView(r: UserRow, teamIds: string[]): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    active: r.active,
    teamIds,
    locale: r.locale,
    managerId: r.manager_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

async function view(db: Db, r: UserRow): Promise<User> {
  const t = await teams.teamIdsOf(db, [r.id]);
  return toView(r, t.get(r.id) ?? []);
}

const emailTaken = () =>
  Conflict('a user with this e-mail already exists', 'email_taken', [
    { path: 'body.email', message: 'already in use' },
  ]);

/** 400 unless `managerId` is another active user. */
async function requireManager(db: Db, id: string, managerId: string): Promise<void> {
  const m = managerId === id ? undefined : await repo.findById(db, managerId);
  if (!m?.active)
    throw Invalid('the manager must be another active user', [
      { path: 'body.managerId', message: managerId === id ? 'not the user themself' : 'no such active user' },
    ]);
}

async function requireTeams(db: Db, teamIds: readonly string[]): Promise<void> {
  const found = await teams.existingTeamIds(db, teamIds);
  const missing = teamIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw Invalid('unknown team', [{ path: 'body.teamIds', message: `no such team: ${missing.join(', ')}` }]);
  }
}

const currentPasswordWrong = (message: string) =>
  Invalid('the current password is needed to change your own', [{ path: 'body.currentPassword', message }]);

/**
 * The hash of a password change: the policy applies to every change; changing one's own password also
 * needs the current one (an admin resetting someone else's does not). Undefined when no password is set.
 */
async function passwordChange(ctx: Ctx, actor: Actor, id: string, input: UpdateUser) {
  if (input.password === undefined) {
    const stray = (['currentPassword', 'revokeTokens'] as const).filter((k) => input[k] !== undefined);
    if (stray.length > 0) {
      throw Invalid(
        'only with a new password',
        stray.map((k) => ({ path: `body.${k}`, message: 'only with a new password' })),
      );
    }
    return undefined;
  }
  const user = await repo.findWithHash(ctx.db, id);
  if (!user) throw NotFound('user');
  const owner = { email: input.email ?? user.email, name: input.name ?? user.name };
  if (actor.userId === id) {
    if (input.currentPassword === undefined) throw currentPasswordWrong('enter your current password');
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      throw currentPasswordWrong('is not your current password');
    }
  }
  return strongHash(input.password, owner);
}

/** Lists users (agents and above). */
export async function listUsers(ctx: Ctx, actor: Actor, q: UserQuery) {
  can(actor, 'user:read');
  const after = decodeCursor(q.cursor, BY_NAME);
  const rows = await repo.page(ctx.db, { ...q, after, limit: q.limit + 1 });
  const t = await teams.teamIdsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return pageFrom(
    rows,
    q.limit,
    (r) => toView(r, t.get(r.id) ?? []),
    (r) => [r.name.toLowerCase(), r.id],
  );
}

/** One user. Requesters see only themselves; anyone else is "not found" to them. */
export async function getUser(ctx: Ctx, actor: Actor, id: string): Promise<User> {
  if (!allows(actor, 'user:read') && actor.userId !== id) throw NotFound('user');
  const r = await repo.findById(ctx.db, id);
  if (!r) throw NotFound('user');
  return view(ctx.db, r);
}

/**
 * Creates a user (admins). A user created without a password is e-mailed an invitation link to set one (with
 * `invite`, the public address links point to, and when e-mail is configured).
 */
export async function createUser(
  ctx: Ctx,
  actor: Actor,
  input: CreateUser,
  opts: { invite?: LinkSettings } = {},
): Promise<User> {
  can(actor, 'user:write');
  const passwordHash = input.password
    ? await strongHash(input.password, { email: input.email, name: input.name })
    : null;
  try {
    return await ctx.tx(async (db) => {
      if (await repo.findForLogin(db, input.email)) throw emailTaken();
      await requireTeams(db, input.teamIds);
      const row = await repo.insert(db, {
        email: input.email,
        name: input.name,
        role: input.role,
        password_hash: passwordHash,
      });
      await teams.setTeamsOfUser(db, row.id, input.teamIds);
      const user = toView(row, [...input.teamIds].sort());
      await record(db, actor, 'user.created', { type: 'user', id: row.id }, null, {
        ...user,
        passwordSet: input.password !== undefined,
      });
      if (!input.password && opts.invite) await issueLink(db, actor, row, 'invite', opts.invite);
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

/**
 * Updates a user at `version` (optimistic concurrency). Admins change anything; users may change their own
 * name, language and password only; their own password only with the current one. The last active admin cannot be
 * demoted or deactivated. Deactivating a user ends their sessions; a new password ends their other sessions
 * and, with `revokeTokens`, revokes their API tokens.
 */
export async function updateUser(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateUser,
): Promise<User> {
  const self = actor.userId === id;
  if (!allows(actor, 'user:write')) {
    if (!self) {
      if (allows(actor, 'user:read')) can(actor, 'user:write');
      throw NotFound('user');
    }
    const forbidden = (['email', 'role', 'active', 'teamIds', 'managerId'] as const).filter(
      (k) => input[k] !== undefined,
    );
    if (forbidden.length > 0) can(actor, 'user:write');
  }
  const passwordHash = await passwordChange(ctx, actor, id, input);
  try {
    const updated = await ctx.tx(async (db) => {
      const removesAdmin = (input.role !== undefined && input.role !== 'admin') || input.active === false;
      // Locked before the user is read, so the check below sees every concurrent removal's outcome.
      const admins = removesAdmin ? await repo.lockActiveAdmins(db) : [];
      const current = await repo.findById(db, id);
      if (!current) throw NotFound('user');
      if (current.version !== version) throw Stale();
      if (removesAdmin && admins.includes(id) && admins.length === 1) {
        throw Conflict('this is the last active admin: make someone else admin first', 'last_admin');
      }
      if (input.email && input.email !== current.email) {
        const other = await repo.findForLogin(db, input.email);
        if (other && other.id !== id) throw emailTaken();
      }
      if (input.teamIds) await requireTeams(db, input.teamIds);
      if (input.managerId) await requireManager(db, id, input.managerId);
      const before = await view(db, current);
      const row = await repo.update(db, id, version, {
        email: input.email,
        name: input.name,
        role: input.role,
        active: input.active,
        password_hash: passwordHash,
        locale: input.locale,
        manager_id: input.managerId,
      });
      if (!row) throw Stale();
      if (input.teamIds) await teams.setTeamsOfUser(db, id, input.teamIds);
      // A new password ends the user's sessions but the one they changed it from; deactivation ends all. A new
      // role ends every session too: the person signs in again and gets a new session id for the new role.
      const roleChanged = input.role !== undefined && input.role !== current.role;
      const keep = self && input.active !== false && !roleChanged ? actor.sessionId : undefined;
      if (input.active === false || passwordHash !== undefined || roleChanged)
        await auth.endSessionsOf(db, id, keep);
      if (passwordHash !== undefined && input.revokeTokens) await tokens.revokeTokensOf(db, actor, id);
      if (input.active !== undefined || input.role !== undefined) await tokens.announceIdentityChange(db);
      const after = await view(db, row);
      await record(
        db,
        actor,
        'user.updated',
        { type: 'user', id },
        { ...before, passwordChanged: false },
        { ...after, passwordChanged: passwordHash !== undefined },
      );
      return after;
    });
    // A deactivated or re-roled user's tokens must not be served from memory.
    tokens.forgetResolvedTokens();
    return updated;
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

/**
 * Takes `role` away from a user (an access review's revocation), in the caller's transaction: the user becomes a
 * requester, their sessions end and tokens re-resolve, audited as done by `actor`. 'already gone' when the user
 * no longer holds that role; the last active admin keeps theirs (409). Call {@link roleRevoked} after commit.
 */
export async function revokeRole(
  db: Db,
  actor: Actor,
  id: string,
  role: string,
  why: string,
): Promise<'revoked' | 'already gone'> {
  const admins = role === 'admin' ? await repo.lockActiveAdmins(db) : [];
  const current = await repo.findById(db, id);
  if (!current || current.role !== role) return 'already gone';
  if (admins.includes(id) && admins.length === 1) {
    throw Conflict('this is the last active admin: make someone else admin first', 'last_admin');
  }
  const before = await view(db, current);
  const row = await repo.update(db, id, current.version, { role: 'requester' });
  if (!row) throw Stale();
  await auth.endSessionsOf(db, id, undefined);
  await tokens.announceIdentityChange(db);
  await record(
    db,
    actor,
    'user.updated',
    { type: 'user', id },
    { ...before },
    {
      ...(await view(db, row)),
      why,
    },
  );
  return 'revoked';
}

/** After a committed {@link revokeRole}: the user's tokens must not be served from memory. */
export const roleRevoked = (): void => tokens.forgetResolvedTokens();

/** The active users holding a role above requester (for access reviews). */
export const roleHolders = (db: Db) => repo.activeByRole(db, ['agent', 'manager', 'admin']);
/** The roles of users by id (for access reviews). */
export const rolesOf = (db: Db, ids: readonly string[]) => repo.rolesOf(db, ids);

/** Which of `ids` are users (for other modules). */
export async function existingUserIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  return repo.existing(db, ids);
}

/** The users among `ids`, by id, with their names as people know them (for other modules). */
export async function userNames(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { name: string; email: string; active: boolean }>> {
  return new Map((await repo.names(db, [...new Set(ids)])).map((u) => [u.id, u]));
}

/**
 * The user an e-mail comes from: an active user with that address, or (with `create`) a new requester
 * without a password, made in the caller's transaction and audited as done by `actor` (the mail channel).
 * Undefined for an inactive user, or an unknown one when not creating.
 */
export async function userFromMail(
  db: Db,
  actor: Actor,
  from: { address: string; name: string },
  create: boolean,
): Promise<UserRow | undefined> {
  const existing = await repo.findForLogin(db, from.address);
  if (existing) return existing.active ? existing : undefined;
  if (!create) return undefined;
  const name = (from.name.trim() || from.address.split('@')[0] || from.address).slice(0, 200);
  const row = await repo.insert(db, {
    email: from.address.toLowerCase(),
    name,
    role: 'requester',
    password_hash: null,
  });
  await record(db, actor, 'user.created', { type: 'user', id: row.id }, null, {
    ...toView(row, []),
    passwordSet: false,
    via: 'mail',
  });
  return row;
}

/** The staff directory: a few active people matching what the caller typed (name and e-mail only). */
export async function findPeople(ctx: Ctx, actor: Actor, q: PeopleQuery): Promise<{ items: Person[] }> {
  can(actor, 'people:find');
  return { items: await repo.findPeople(ctx.db, q.q, q.limit) };
}
