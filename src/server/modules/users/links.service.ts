/**
 * One-time password links: an invitation for a user created without a password, and "forgot password". The
 * secret is e-mailed and only its hash is stored; a link expires, works once (decided in one UPDATE), and a
 * newer link retires the older ones. Asking for a reset answers the same for every address: the lookup and the
 * mail happen in a job, so neither the answer nor its timing tells whether the address belongs to someone.
 */
import { z } from 'zod';
import type { ForgotPassword, SetPassword } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { enqueue, type JobSet, jobType } from '../../platform/jobs/index.js';
import type { Actor } from '../../platform/permissions.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import * as auth from '../auth/index.js';
import * as mail from '../mail/index.js';
import * as repo from './links.repository.js';
import type { LinkPurpose } from './links.repository.js';
import * as users from './users.repository.js';
import { strongHash } from './password.js';

/** How long a link works. */
export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = {
  invite: 7 * 24 * 3_600_000,
  reset: 60 * 60_000,
};

/** Where links point: the address people reach Steward at (STEWARD_PUBLIC_URL). */
export interface LinkSettings {
  publicUrl: string;
}

const system = (label: string, ip: string | null = null): Actor => ({
  userId: null,
  role: 'requester',
  label,
  via: 'system',
  ip,
});

function letter(purpose: LinkPurpose, name: string, url: string, publicUrl: string) {
  if (purpose === 'invite') {
    return {
      subject: 'Your Steward account: set your password',
      body:
        `Hello ${name},\n\nan account was made for you on Steward, the service desk at ${publicUrl}.\n` +
        `Choose your password with this link within 7 days (it works once):\n\n${url}\n`,
    };
  }
  return {
    subject: 'Reset your Steward password',
    body:
      `Hello ${name},\n\nsomeone asked to reset the password of your Steward account at ${publicUrl}.\n` +
      `Choose a new password with this link within 60 minutes (it works once):\n\n${url}\n\n` +
      `If it was not you, ignore this mail: your password stays as it is.\n`,
  };
}

/**
 * Makes a link for `user` and queues its e-mail, in the caller's transaction, audited as `actor`'s. Earlier
 * unused links of the user stop working. Does nothing when no mail can be sent (no SMTP server configured).
 */
export async function issueLink(
  db: Db,
  actor: Actor,
  user: { id: string; email: string; name: string },
  purpose: LinkPurpose,
  s: LinkSettings,
): Promise<boolean> {
  if (!mail.mailEnabled()) return false;
  const secret = randomSecret(32);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[purpose]);
  await repo.insertLink(
    db,
    { token_hash: sha256(secret), user_id: user.id, purpose, expires_at: expiresAt },
    now,
  );
  // The secret travels in the fragment: browsers never send it to a server or in a Referer.
  const url = `${s.publicUrl}/set-password#${purpose}=${secret}`;
  await mail.queueMail(db, {
    to: user.email,
    ...letter(purpose, user.name, url, s.publicUrl),
    ticketId: null,
    secret: true,
  });
  await record(
    db,
    actor,
    purpose === 'invite' ? 'user.invited' : 'user.password_reset_sent',
    { type: 'user', id: user.id },
    null,
    { email: user.email, expiresAt: expiresAt.toISOString() },
  );
  return true;
}

const RESET_JOB = 'users.password_reset';

/**
 * "Forgot password": counted against the address and the client like sign-ins (429 once used up), then
 * queued for the job below. The same answer and the same work for every address.
 */
export async function requestPasswordReset(
  ctx: Ctx,
  settings: auth.AuthSettings & LinkSettings,
  input: ForgotPassword,
  client: auth.Client,
): Promise<void> {
  const email = input.email.toLowerCase();
  await auth.throttleRequest(ctx, settings, 'reset', email, client, 'password reset requests');
  await ctx.tx((db) =>
    enqueue(db, RESET_JOB, { email, ip: client.ip, publicUrl: settings.publicUrl }, { definition: RESET }),
  );
}

/** The reset e-mail's job: queued by a forgot-password request, with this definition (payload check, 3 attempts). */
const RESET = jobType(RESET_JOB, {
  schema: z.object({ email: z.string().max(254), ip: z.string().max(100).nullable(), publicUrl: z.string() }),
  maxAttempts: 3,
  handler: async (ctx, { email, ip, publicUrl }) => {
    await ctx.tx(async (db) => {
      const user = await users.findForLogin(db, email);
      if (user?.active && (await issueLink(db, system(email, ip), user, 'reset', { publicUrl }))) return;
      const reason = !user ? 'unknown address' : user.active ? 'no outgoing mail configured' : 'inactive';
      await record(
        db,
        system(email, ip),
        'user.password_reset_refused',
        { type: 'user', id: user?.id ?? null },
        null,
        { email, reason },
      );
    });
  },
});

/** The users module's job, for main.ts to hand to the job runner (no schedule: a request queues it). */
export function usersJobs(): JobSet {
  return { types: [RESET], schedules: [] };
}

const linkInvalid = () =>
  new AppError(
    400,
    'link_invalid',
    'This link does not work',
    'the link is unknown, was used already or has expired: ask for a new one',
  );

/**
 * Sets a password from a link: the link is used up in the same transaction (of parallel redemptions exactly
 * one succeeds), the user's other links retire, and every session of the user ends. Audited as the user.
 */
export async function redeemLink(ctx: Ctx, input: SetPassword, client: auth.Client): Promise<void> {
  const now = new Date();
  const hash = sha256(input.token);
  const link = await repo.findLink(ctx.db, hash, now);
  if (!link) throw linkInvalid();
  // The policy runs before the link is used: a refused password leaves the link working.
  const passwordHash = await strongHash(input.password, { email: link.email, name: link.name });
  await ctx.tx(async (db) => {
    const used = await repo.consumeLink(db, hash, now);
    if (!used) throw linkInvalid();
    const user = await repo.setPasswordHash(db, used.user_id, passwordHash);
    if (!user?.active) throw linkInvalid();
    await repo.retireLinksOf(db, user.id, now);
    await auth.endSessionsOf(db, user.id);
    const actor: Actor = {
      userId: user.id,
      role: user.role,
      label: user.email,
      via: 'system',
      ip: client.ip,
    };
    await record(
      db,
      actor,
      used.purpose === 'invite' ? 'user.password_set' : 'user.password_reset',
      { type: 'user', id: user.id },
      null,
      { via: used.purpose === 'invite' ? 'invitation link' : 'reset link', sessionsEnded: true },
    );
  });
}
