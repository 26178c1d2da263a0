import type { Login } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, TooMany } from '../../platform/errors.js';
import { verifyPassword } from '../../platform/passwords.js';
import type { Actor } from '../../platform/permissions.js';
import { randomSecret, safeEqual, sha256 } from '../../platform/secrets.js';
import * as tokens from '../tokens/index.js';
import * as users from '../users/index.js';
import * as repo from './auth.repository.js';

/** Sign-in and session settings. */
export interface AuthSettings {
  sessionHours: number;
  maxFailures: number;
  lockMinutes: number;
}

/** Where a request comes from, for throttling and the audit trail. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the sign-in came with, if any: that session ends (the id is renewed at sign-in). */
  previousSecret?: string;
}

const invalidCredentials = () =>
  new AppError(
    401,
    'invalid_credentials',
    'Sign-in failed',
    'wrong e-mail or password, or the account is inactive',
  );

function locked(until: Date | undefined, now: Date, what = 'failed sign-ins'): AppError {
  const seconds = Math.max(1, Math.ceil(((until?.getTime() ?? now.getTime()) - now.getTime()) / 1000));
  const err = TooMany(`too many ${what}: try again in ${Math.ceil(seconds / 60)} minute(s)`);
  return Object.assign(err, { retryAfter: seconds });
}

/** A throttle key with its limit, in the order keys are reserved (always the same: no lock-order deadlock). */
type Limit = { key: string; max: number };

function limitsOf(s: AuthSettings, email: string, client: Client): Limit[] {
  return [
    ...(client.ip ? [{ key: `ip:${client.ip}`, max: s.maxFailures * 4 }] : []),
    { key: `email:${email}`, max: s.maxFailures },
  ];
}

/**
 * Reserves one attempt on every key, all or none (one transaction): a locked key refuses the sign-in
 * before any password is verified, so at most the limit of guesses is ever checked per window, however
 * many arrive at once. Returns each key's window start, to give the attempt back on success.
 */
async function reserve(
  ctx: Ctx,
  s: AuthSettings,
  limits: Limit[],
  now: Date,
  what?: string,
): Promise<Date[]> {
  const windowMs = s.lockMinutes * 60_000;
  return ctx.tx(async (db) => {
    const starts: Date[] = [];
    for (const { key, max } of limits) {
      const start = await repo.reserveAttempt(db, key, max, now, windowMs);
      // Throwing rolls back the keys reserved before this one: a refused attempt counts nowhere.
      if (!start) throw locked(await repo.lockedUntil(db, key, now), now, what);
      starts.push(start);
    }
    return starts;
  });
}

/**
 * Counts one request of a kind (`scope`, e.g. `reset`) against the client's address and the e-mail it names,
 * with the sign-in limits, and refuses it (429) once either is used up in the window. The keys depend only on
 * what was sent, never on whether the address belongs to someone.
 */
export async function throttleRequest(
  ctx: Ctx,
  s: AuthSettings,
  scope: string,
  email: string,
  client: Client,
  what: string,
): Promise<void> {
  const limits = limitsOf(s, email.toLowerCase(), client).map((l) => ({ ...l, key: `${scope}:${l.key}` }));
  await reserve(ctx, s, limits, new Date(), what);
}

/**
 * Signs in with e-mail and password. Each attempt is counted before its password is checked; the e-mail
 * is locked for a while once `maxFailures` attempts failed in a window (an address at four times the count),
 * and a success clears the e-mail's count. Unknown e-mails cost the same time as known ones. Returns the new session's cookie
 * secret and CSRF token.
 */
export async function login(ctx: Ctx, s: AuthSettings, input: Login, client: Client) {
  const now = new Date();
  const limits = limitsOf(s, input.email, client);
  const starts = await reserve(ctx, s, limits, now);
  const user = await users.findForLogin(ctx.db, input.email);
  const ok = (await verifyPassword(input.password, user?.password_hash ?? null)) && user?.active === true;
  if (!ok || !user) {
    await ctx.tx(async (db) => {
      const actor: Actor = {
        userId: null,
        role: 'requester',
        label: input.email,
        via: 'system',
        ip: client.ip,
      };
      await record(db, actor, 'auth.login_failed', { type: 'user', id: user?.id ?? null }, null, {
        email: input.email,
      });
    });
    throw invalidCredentials();
  }
  const secret = randomSecret(32);
  const csrfToken = randomSecret(24);
  await ctx.tx(async (db) => {
    // A success clears the account's count and does not count against the address.
    for (const [i, { key }] of limits.entries()) {
      if (key.startsWith('email:')) await repo.clearThrottle(db, key);
      else await repo.refundAttempt(db, key, starts[i] ?? now);
    }
    if (client.previousSecret) await repo.deleteSession(db, sha256(client.previousSecret));
    await repo.insertSession(db, {
      id_hash: sha256(secret),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(now.getTime() + s.sessionHours * 3_600_000),
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 500) ?? null,
    });
    const actor: Actor = {
      userId: user.id,
      role: user.role,
      label: user.email,
      via: 'session',
      ip: client.ip,
    };
    await record(db, actor, 'auth.login', { type: 'user', id: user.id }, null, { via: 'password' });
  });
  return { secret, csrfToken, userId: user.id };
}

/** Ends the session behind a cookie secret. */
export async function logout(ctx: Ctx, actor: Actor, secret: string): Promise<void> {
  await ctx.tx(async (db) => {
    const userId = await repo.deleteSession(db, sha256(secret));
    if (userId) await record(db, actor, 'auth.logout', { type: 'user', id: userId }, null, null);
  });
}

/** The identity behind a request: from the session cookie or a bearer token. */
export interface Resolved {
  actor: Actor;
  csrfToken: string | null;
}

/**
 * Resolves a session cookie secret to its actor, sliding the expiry (written at most once a minute).
 * Undefined when the session is unknown, expired, or its user inactive.
 */
export async function resolveSession(
  ctx: Ctx,
  s: AuthSettings,
  secret: string,
  ip: string | null,
): Promise<Resolved | undefined> {
  if (secret.length < 20 || secret.length > 100) return undefined;
  const now = new Date();
  const idHash = sha256(secret);
  const row = await repo.findSession(ctx.db, idHash, now);
  if (!row || !row.active) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await repo.touchSession(ctx.db, idHash, now, new Date(now.getTime() + s.sessionHours * 3_600_000));
  }
  return {
    actor: { userId: row.user_id, role: row.role, label: row.email, via: 'session', sessionId: idHash, ip },
    csrfToken: row.csrf_token,
  };
}

/** Resolves `Authorization: Bearer` to its actor. */
export async function resolveBearer(
  ctx: Ctx,
  token: string,
  ip: string | null,
): Promise<Resolved | undefined> {
  const t = await tokens.resolveToken(ctx, token);
  if (!t) return undefined;
  return { actor: { userId: t.userId, role: t.role, label: t.email, via: 'token', ip }, csrfToken: null };
}

/** Checks a cookie-authenticated write's CSRF header. */
export function csrfValid(expected: string | null, given: string | undefined): boolean {
  return expected !== null && given !== undefined && safeEqual(expected, given);
}

/**
 * Ends every session of a user (deactivation, password change), but the session `keepSessionId` (the one a
 * user changes their own password from).
 */
export async function endSessionsOf(db: Db, userId: string, keepSessionId?: string): Promise<void> {
  await repo.deleteSessionsOf(db, userId, keepSessionId);
}

/** Removes expired sessions. */
export async function purgeExpiredSessions(ctx: Ctx): Promise<void> {
  await repo.deleteExpiredSessions(ctx.db, new Date());
}
