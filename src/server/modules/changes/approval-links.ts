/**
 * Approve or reject from the notification e-mail. When a level starts waiting, each of its approvers gets an
 * e-mail with a one-time link (the secret in the URL's fragment, so no server or Referer sees it; stored
 * hashed). The link opens a confirmation page; the decision needs the approver signed in: a link works only
 * for the person it was made for (404 for anyone else), so a forwarded or leaked mail decides nothing. It
 * expires after 7 days, is used at most once (the use and the vote commit together), and a link of a level
 * that is no longer waiting decides nothing.
 */
import { z } from 'zod';
import { ChangeVote } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import { mailEnabled, queueMail } from '../mail/index.js';
import { userNames } from '../users/index.js';
import * as repo from './approvals.repository.js';
import { changeKey } from './conflicts.js';

/** How long a link works. */
const LINK_LIFETIME_MS = 7 * 86_400_000;

/** The body of the link's look-up: the secret from the fragment. */
export const ApprovalLinkToken = z.strictObject({ token: z.string().min(20).max(100) });
/** The body of the decision. */
export const ApprovalLinkDecision = z.strictObject({
  token: z.string().min(20).max(100),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(2000).default(''),
});

/** Mails each approver of a level that now waits a one-time link, in the caller's transaction. */
export async function mailApprovalLinks(
  db: Db,
  publicUrl: string,
  c: { id: string; number: number; title: string },
  level: { level: number; team_name: string; voters: readonly string[] },
): Promise<void> {
  if (!mailEnabled() || level.voters.length === 0) return;
  const people = await userNames(db, level.voters);
  const expires = new Date(Date.now() + LINK_LIFETIME_MS);
  for (const id of level.voters) {
    const who = people.get(id);
    if (!who?.active) continue;
    const secret = randomSecret(32);
    await repo.insertLink(db, {
      token_hash: sha256(secret),
      change_id: c.id,
      level: level.level,
      user_id: id,
      expires_at: expires,
    });
    const key = changeKey(c.number);
    await queueMail(db, {
      to: who.email,
      subject: `${key} “${c.title}” needs your approval`,
      body: [
        `Hello ${who.name},`,
        '',
        `${key} “${c.title}” waits for ${level.team_name}'s approval (level ${level.level}).`,
        '',
        `Approve or reject it: ${publicUrl}/changes/approve#token=${secret}`,
        `The change: ${publicUrl}/changes/${c.id}`,
        '',
        'The link works once, for you only (you sign in to decide), for 7 days.',
      ].join('\n'),
      ticketId: null,
      secret: true,
    });
  }
}

/** A live link of the caller (404 for a link unknown, used, expired, or made for someone else). */
async function findLink(db: Db, actor: Actor, token: string, lock = false) {
  const link = await repo.liveLink(db, sha256(token), new Date(), lock);
  if (!link || !actor.userId || link.user_id !== actor.userId) throw NotFound('approval link');
  return link;
}

/** What the confirmation page shows: which change, which level. */
export async function lookUpLink(ctx: Ctx, actor: Actor, raw: unknown) {
  can(actor, 'change:read');
  const { token } = ApprovalLinkToken.parse(raw);
  const link = await findLink(ctx.db, actor, token);
  return { changeId: link.change_id, level: link.level, expiresAt: link.expires_at.toISOString() };
}

/**
 * Decides through a link: marks it used and casts the vote in one transaction (a vote refused leaves the link
 * unused). `vote` is the ordinary vote, run in that transaction.
 */
export async function decideByLink(
  ctx: Ctx,
  actor: Actor,
  raw: unknown,
  vote: (
    db: Db,
    actor: Actor,
    id: string,
    v: ReturnType<typeof ChangeVote.parse>,
    level: number,
  ) => Promise<void>,
): Promise<string> {
  can(actor, 'change:read');
  const d = ApprovalLinkDecision.parse(raw);
  const v = ChangeVote.parse({ decision: d.decision, reason: d.reason });
  return ctx.tx(async (db) => {
    const link = await findLink(db, actor, d.token, true);
    await repo.useLink(db, link.token_hash, new Date());
    await vote(db, actor, link.change_id, v, link.level);
    return link.change_id;
  });
}
