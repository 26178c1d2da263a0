/**
 * Document control: moves along ARTICLE_TRANSITIONS (illegal ones 409 naming the allowed), the review a
 * submission starts (its approvers fixed then: the kind's team or IT, managers and admins only for policies,
 * never the author), and votes decided under the article's row lock so that parallel votes decide once.
 */
import {
  ARTICLE_TRANSITIONS,
  type ArticleStatus,
  ArticleTransition,
  ArticleVote,
} from '../../../contracts/index.js';
import { decision, requiredVotes } from '../../platform/approval-rules.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Conflict, Forbidden } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { teamNames } from '../teams/index.js';
import * as acks from './ack.repository.js';
import * as flow from './flow.repository.js';
import { people } from './audience.js';
import * as repo from './knowledge.repository.js';
import { nameOf, visibleArticle } from './knowledge.service.js';
import * as reviews from './review.repository.js';

/** Throws 409 `illegal_transition`, naming the allowed moves, unless `from -> to` is in the table. */
export function requireArticleTransition(from: ArticleStatus, to: ArticleStatus): void {
  const allowed = ARTICLE_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw Conflict(
    `an article ${from.replace('_', ' ')} cannot move to ${to.replace('_', ' ')}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
    'illegal_transition',
    [{ path: 'body.to', message: `allowed from ${from}: ${allowed.join(', ') || 'none'}` }],
  );
}

/** Starts the review of the article's newest version with the kind's approvers. */
async function startReview(db: Db, actor: Actor, r: repo.ArticleRow): Promise<number> {
  const [text] = await repo.versionsOf(db, r.id, [r.current_version]);
  if (r.kind === 'known_error' && !text?.workaround.trim())
    throw Conflict('a known error is reviewed with its workaround', 'workaround_missing', [
      { path: 'workaround', message: 'required for a known error' },
    ]);
  const a = await reviews.findApprovers(db, r.kind);
  const roles =
    r.kind === 'policy' ? (['manager', 'admin'] as const) : (['agent', 'manager', 'admin'] as const);
  const voters = (await people(db, roles, a.team_id)).filter((p) => p.id !== actor.userId);
  const team = a.team_id ? (await teamNames(db, [a.team_id])).get(a.team_id) : undefined;
  const group = `${team ? `the team ${team}` : 'IT'}${r.kind === 'policy' ? ', managers and admins' : ''}, other than the author`;
  const round = r.review_round + 1;
  await reviews.insertReview(db, {
    article_id: r.id,
    round,
    version: r.current_version,
    rule: a.rule,
    required: requiredVotes(a, voters.length, group),
    voters: voters.map((v) => v.id),
    requested_by: await nameOf(db, actor),
  });
  return round;
}

/** Moves an article as a person asks: submit for review, withdraw, publish, send back to draft, retire. */
export async function transitionArticle(ctx: Ctx, actor: Actor, id: string, raw: ArticleTransition) {
  can(actor, 'kb:write');
  const t = ArticleTransition.parse(raw);
  await ctx.tx(async (db) => {
    const r = await visibleArticle(db, actor, id, true);
    requireArticleTransition(r.status, t.to);
    let round: number | undefined;
    if (t.to === 'in_review') round = await startReview(db, actor, r);
    if (r.status === 'in_review') await reviews.decideReview(db, id, r.review_round, 'withdrawn');
    await repo.setStatus(db, id, t.to, { publish: t.to === 'published', round });
    if (t.to === 'published') await acks.moveCampaign(db, id, r.current_version);
    await record(
      db,
      actor,
      t.to === 'published' ? 'kb.published' : t.to === 'retired' ? 'kb.retired' : 'kb.moved',
      { type: 'kb_article', id },
      { status: r.status },
      { status: t.to, version: r.current_version },
    );
  });
}

/**
 * The caller's vote on the pending review. Decided under the article's row lock: the review is approved
 * when the rule's count of approvals is reached (the article becomes approved), rejected when it no longer
 * can be (the article goes back to draft with the reason).
 */
export async function voteOnArticle(ctx: Ctx, actor: Actor, id: string, raw: ArticleVote) {
  can(actor, 'kb:read');
  const v = ArticleVote.parse(raw);
  const me = actor.userId;
  if (!me) throw Forbidden('only a person may approve an article');
  await ctx.tx(async (db) => {
    const r = await visibleArticle(db, actor, id, true);
    if (r.status !== 'in_review')
      throw Conflict(`the article is ${r.status.replace('_', ' ')}, not in review`, 'not_in_review');
    const rev = await reviews.findReview(db, id, r.review_round);
    if (!rev || rev.status !== 'pending') throw Conflict('no review is waiting', 'not_in_review');
    if (!rev.voters.includes(me)) throw Forbidden('you are not an approver of this review');
    const name = await nameOf(db, actor);
    const vote = { article_id: id, round: rev.round, user_id: me, user_name: name, ...v };
    if (!(await reviews.insertVote(db, vote)))
      throw new AppError(409, 'already_voted', 'Already voted', 'you have already voted on this review');
    await record(db, actor, 'kb.voted', { type: 'kb_article', id }, null, {
      round: rev.round,
      version: rev.version,
      decision: v.decision,
      reason: v.reason,
    });
    const outcome = decision(await reviews.tally(db, id, rev.round), rev.voters.length, rev.required);
    if (outcome === 'pending') return;
    await reviews.decideReview(db, id, rev.round, outcome);
    // an approved review is also the review a changed item or change asked for
    if (outcome === 'approved') await flow.clearFlag(db, id);
    const to = outcome === 'approved' ? 'approved' : 'draft';
    await repo.setStatus(db, id, to);
    await record(
      db,
      actor,
      outcome === 'approved' ? 'kb.approved' : 'kb.rejected',
      { type: 'kb_article', id },
      { status: 'in_review' },
      {
        status: to,
        version: rev.version,
        ...(outcome === 'rejected' ? { reason: `${name}: ${v.reason}` } : {}),
      },
    );
  });
}
