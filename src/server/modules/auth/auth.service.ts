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
}

const invalidCredentials = () =>
  new AppError(
    401,
    'invalid_credentials',
    'Sign-in failed',
    'wrong e-mail or password, or the account is inactive',
  );

async function throttleCheck(db: Db, keys: string[], now: Date): Promise<void> {
  for (const key of keys) {
    const t = await repo.throttleOf(db, key);
    if (t?.locked_until && t.locked_until > now) {
      const seconds = Math.ceil((t.locked_until.getTime() - now.getTime()) / 1000);
      const err = TooMany(`too many failed sign-ins: try again in ${Math.ceil(seconds / 60)} minute(s)`);
      throw Object.assign(err, { retryAfter: seconds });
    }
  }
}

async function throttleFail(db: Db, key: string, max: number, s: AuthSettings, now: Date): Promise<void> {
  const windowMs = s.lockMinutes * 60_000;
  const t = await repo.throttleOf(db, key);
  const fresh = !t || now.getTime() - t.window_start.getTime() > windowMs;
  const failures = fresh ? 1 : t.failures + 1;
  await repo.setThrottle(db, key, {
    failures,
    window_start: fresh ? now : t.window_start,
    locked_until: failures >= max ? new Date(now.getTime() + windowMs) : null,
  });
}

/**
 * Signs in with e-mail and password. Repeated failures lock the e-mail (and, at four times the count, the
 * address) for a while. Unknown e-mails cost the same time as known ones. Returns the new session's cookie
 * secret and CSRF token.
 */
export async function login(ctx: Ctx, s: AuthSettings, input: Login, client: Client) {
  const now = new Date();
  const keys = [`email:${input.email}`, ...(client.ip ? [`ip:${client.ip}`] : [])];
  await throttleCheck(ctx.db, keys, now);
  const user = await users.findForLogin(ctx.db, input.email);
  const ok = (await verifyPassword(input.password, user?.password_hash ?? null)) && user?.active === true;
  if (!ok || !user) {
    await ctx.tx(async (db) => {
      await throttleFail(db, `email:${input.email}`, s.maxFailures, s, now);
      if (client.ip) await throttleFail(db, `ip:${client.ip}`, s.maxFailures * 4, s, now);
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
    await repo.clearThrottle(db, `email:${input.email}`);
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

/** Ends every session of a user (deactivation, password change). */
export async function endSessionsOf(db: Db, userId: string): Promise<void> {
  await repo.deleteSessionsOf(db, userId);
}

/** Removes expired sessions. */
export async function purgeExpiredSessions(ctx: Ctx): Promise<void> {
  await repo.deleteExpiredSessions(ctx.db, new Date());
}
