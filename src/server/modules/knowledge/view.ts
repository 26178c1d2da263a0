/** Articles as the API shows them: readers get the published text only, authors also the newest version. */
import type { Article, ArticleReview, ArticleSummary, ArticleText } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { teamNames } from '../teams/index.js';
import { userNames } from '../users/index.js';
import * as acks from './ack.repository.js';
import { targets } from './audience.js';
import * as repo from './knowledge.repository.js';
import { linksOf } from './links.view.js';
import * as reviews from './review.repository.js';

/** KB-12. */
export const articleKey = (n: number) => `KB-${n}`;

const textOf = (v: repo.VersionRow | undefined): ArticleText | null =>
  v ? { version: v.version, title: v.title, body: v.body, workaround: v.workaround } : null;

/** The review of an article's current round, with who may approve and whether the caller still may vote. */
async function reviewOf(db: Db, actor: Actor, r: repo.ArticleRow): Promise<ArticleReview | null> {
  if (r.review_round === 0) return null;
  const rev = await reviews.findReview(db, r.id, r.review_round);
  if (!rev) return null;
  const isVoter = actor.userId !== null && rev.voters.includes(actor.userId);
  if (!allows(actor, 'kb:write') && !isVoter) return null;
  const [votes, names] = await Promise.all([reviews.votesOf(db, r.id, rev.round), userNames(db, rev.voters)]);
  return {
    round: rev.round,
    version: rev.version,
    rule: rev.rule,
    required: rev.required,
    status: rev.status,
    approvers: rev.voters.map((id) => names.get(id)?.name ?? 'a removed user').sort(),
    votes: votes.map((v) => ({
      by: v.user_name,
      decision: v.decision,
      reason: v.reason,
      at: v.created_at.toISOString(),
    })),
    canVote: rev.status === 'pending' && isVoter && !votes.some((v) => v.user_id === actor.userId),
  };
}

/** The caller's part in the article's acknowledgement campaign, if it has one. */
async function acknowledgementOf(
  db: Db,
  actor: Actor,
  r: repo.ArticleRow,
): Promise<Article['acknowledgement']> {
  const c = await acks.findCampaign(db, r.id);
  if (!c || !actor.userId) return null;
  const people = await targets(db, c);
  const given = (await acks.acknowledgements(db, r.id, c.version)).get(actor.userId);
  return {
    required: people.some((p) => p.id === actor.userId),
    acknowledgedAt: given?.toISOString() ?? null,
  };
}

/** The API view of an article the caller may see. */
export async function articleView(ctx: Ctx, actor: Actor, r: repo.ArticleRow): Promise<Article> {
  const db = ctx.db;
  const author = allows(actor, 'kb:write');
  const shown = r.status === 'retired' ? null : r.published_version;
  const wanted = [shown, author ? r.current_version : null].filter((v): v is number => v !== null);
  const [texts, teams, owners, review, acknowledgement, links] = await Promise.all([
    repo.versionsOf(db, r.id, [...new Set(wanted)]),
    teamNames(db, r.team_id ? [r.team_id] : []),
    userNames(db, r.owner_id ? [r.owner_id] : []),
    reviewOf(db, actor, r),
    acknowledgementOf(db, actor, r),
    linksOf(ctx, db, actor, r.id),
  ]);
  const find = (v: number | null) => texts.find((t) => t.version === v);
  return {
    id: r.id,
    key: articleKey(r.number),
    kind: r.kind,
    status: r.status,
    audience: r.audience,
    teamId: r.team_id,
    teamName: r.team_id ? (teams.get(r.team_id) ?? null) : null,
    category: r.category,
    tags: r.tags,
    ownerId: r.owner_id,
    ownerName: r.owner_id ? (owners.get(r.owner_id)?.name ?? null) : null,
    reviewAt: r.review_at,
    validTo: r.valid_to,
    published: textOf(find(shown)),
    working: author ? textOf(find(r.current_version)) : null,
    review,
    acknowledgement,
    canEdit: author && r.status !== 'in_review' && r.status !== 'retired',
    ...links,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A list row. */
export function summaryOf(r: repo.ArticleRow & { title: string; flagged: boolean }): ArticleSummary {
  return {
    id: r.id,
    key: articleKey(r.number),
    kind: r.kind,
    status: r.status,
    title: r.title,
    category: r.category,
    tags: r.tags,
    audience: r.audience,
    reviewAt: r.review_at,
    validTo: r.valid_to,
    flagged: r.flagged,
    updatedAt: r.updated_at.toISOString(),
  };
}
