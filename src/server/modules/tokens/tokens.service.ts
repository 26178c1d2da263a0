import type { ApiToken, CreatedToken, CreateToken } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import * as repo from './tokens.repository.js';
import type { TokenRow } from './tokens.repository.js';

/** Tokens look like `stw_<8-char prefix>_<secret>`; the prefix identifies them in lists. */
const TOKEN_RE = /^stw_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;

function toView(r: TokenRow): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

/** The caller's own tokens. */
export async function listTokens(ctx: Ctx, actor: Actor): Promise<ApiToken[]> {
  can(actor, 'token:own');
  if (!actor.userId) return [];
  return (await repo.listOf(ctx.db, actor.userId)).map(toView);
}

/** Creates a token for the caller; the secret is returned this once and stored only as a hash. */
export async function createToken(ctx: Ctx, actor: Actor, input: CreateToken): Promise<CreatedToken> {
  can(actor, 'token:own');
  const userId = actor.userId;
  if (!userId) throw NotFound('user');
  const prefix = randomSecret(6).slice(0, 8);
  const token = `stw_${prefix}_${randomSecret(32)}`;
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return ctx.tx(async (db) => {
    const row = await repo.insert(db, {
      user_id: userId,
      name: input.name,
      prefix,
      token_hash: sha256(token),
      expires_at: expiresAt,
    });
    const view = toView(row);
    await record(db, actor, 'token.created', { type: 'api_token', id: row.id }, null, { ...view, userId });
    return { ...view, token };
  });
}

/** Revokes one of the caller's tokens (admins may revoke anyone's); others' tokens are "not found". */
export async function revokeToken(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'token:own');
  forgetResolvedTokens();
  await ctx.tx(async (db) => {
    const row = await repo.findById(db, id);
    if (!row || (row.user_id !== actor.userId && actor.role !== 'admin')) throw NotFound('token');
    if (row.revoked_at) return;
    const [revoked] = await repo.revoke(db, { id }, new Date());
    if (!revoked) return;
    await announceIdentityChange(db);
    await record(db, actor, 'token.revoked', { type: 'api_token', id }, toView(row), toView(revoked));
  });
  forgetResolvedTokens();
}

/**
 * Revokes every live token of a user in the caller's transaction (a password change that asked for it),
 * one audit entry per token. The caller drops remembered resolutions after commit ({@link forgetResolvedTokens}).
 */
export async function revokeTokensOf(db: Db, actor: Actor, userId: string): Promise<number> {
  const revoked = await repo.revoke(db, { userId }, new Date());
  for (const r of revoked) {
    const after = toView(r);
    await record(
      db,
      actor,
      'token.revoked',
      { type: 'api_token', id: r.id },
      { ...after, revokedAt: null },
      after,
    );
  }
  if (revoked.length > 0) await announceIdentityChange(db);
  return revoked.length;
}

/**
 * Usable tokens recently resolved, by hash. Every change that could make one unusable (revocation, a user
 * deactivated or re-roled) calls {@link forgetResolvedTokens}: in this process directly, and in the others
 * through a PostgreSQL notification ({@link IDENTITY_CHANNEL}) sent by the changing transaction. The cache is
 * used only while that is exact: on a database this process owns alone ({@link Ctx.exclusive}, PGlite), or
 * while this process is listening for the notifications ({@link setIdentityListening}). A lookup that raced
 * a change (the generation moved while it ran) is not remembered; entries also lapse after a minute and a
 * token's expiry is checked on every hit. It saves a query per API request.
 */
const resolved = new Map<string, { row: repo.UsableToken; until: number }>();
const REMEMBER_MS = 60_000;
let generation = 0;
let listening = false;

/** The notification channel of identity changes. */
export const IDENTITY_CHANNEL = 'steward_identity';

/** Drops every remembered token resolution (after a revocation or a change to users). */
export function forgetResolvedTokens(): void {
  generation++;
  resolved.clear();
}

/** Whether identity-change notifications are being received (on a change either way, everything is dropped). */
export function setIdentityListening(live: boolean): void {
  listening = live;
  forgetResolvedTokens();
}

/** Tells every process sharing the database to forget resolved tokens, when the caller's transaction commits. */
export async function announceIdentityChange(db: Db): Promise<void> {
  await repo.notify(db, IDENTITY_CHANNEL);
}

async function usable(ctx: Ctx, hash: string, now: Date): Promise<repo.UsableToken | undefined> {
  if (!ctx.exclusive && !listening) return repo.findUsable(ctx.db, hash, now);
  const hit = resolved.get(hash);
  if (hit && hit.until > now.getTime() && (!hit.row.expires_at || hit.row.expires_at > now)) return hit.row;
  const before = generation;
  const row = await repo.findUsable(ctx.db, hash, now);
  if (generation !== before) return row;
  if (resolved.size >= 10_000) resolved.clear();
  if (row) resolved.set(hash, { row, until: now.getTime() + REMEMBER_MS });
  else resolved.delete(hash);
  return row;
}

/** Resolves a bearer token to its user, or undefined. Records its use at most once a minute. */
export async function resolveToken(ctx: Ctx, token: string) {
  if (!TOKEN_RE.test(token)) return undefined;
  const now = new Date();
  const row = await usable(ctx, sha256(token), now);
  if (!row || !row.active) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await repo.touch(ctx.db, row.id, now);
    row.last_used_at = now;
  }
  return { tokenId: row.id, userId: row.user_id, email: row.email, role: row.role };
}
