import { z } from 'zod';
import { Line, PageQuery } from './common.js';
import { Role } from './identity.js';
import { Markdown, TicketStatus, TicketType } from './tickets.js';
import { ApprovalRule } from './changes.js';

const Day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** What an article is: a how-to, a known error (with its workaround), a policy, a procedure or a runbook. */
export const ArticleKind = z.enum(['how_to', 'known_error', 'policy', 'procedure', 'runbook']);
export type ArticleKind = z.infer<typeof ArticleKind>;
/** Document control: draft → in review → approved → published → retired. */
export const ArticleStatus = z.enum(['draft', 'in_review', 'approved', 'published', 'retired']);
export type ArticleStatus = z.infer<typeof ArticleStatus>;
/** Who reads the published text: everyone, IT (agents and up), or one team (and managers and admins). */
export const ArticleAudience = z.enum(['requesters', 'agents', 'team']);
export type ArticleAudience = z.infer<typeof ArticleAudience>;

/** The moves a person asks for; approval and rejection come from the reviewers' votes. */
export const ARTICLE_TRANSITIONS: Record<ArticleStatus, readonly ArticleStatus[]> = {
  draft: ['in_review', 'retired'],
  in_review: ['draft'],
  approved: ['published', 'draft'],
  published: ['retired'],
  retired: [],
};

const Tag = Line(50).refine((s) => !s.includes(','), 'a tag holds no comma');
const articleFields = {
  title: Line(200),
  body: Markdown(100_000),
  workaround: Markdown(20_000).optional(),
  audience: ArticleAudience,
  teamId: z.uuid({ message: 'must be a team id' }).nullable().optional(),
  category: z.string().trim().max(100).optional(),
  tags: z.array(Tag).max(20, 'at most 20 tags').optional(),
  ownerId: z.uuid({ message: 'must be a user id' }).nullable().optional(),
  reviewAt: Day.nullable().optional(),
  validTo: Day.nullable().optional(),
};
const teamMatchesAudience = (a: { audience?: ArticleAudience; teamId?: string | null | undefined }) =>
  a.audience === undefined || (a.audience === 'team') === Boolean(a.teamId);
const audienceMessage = {
  message: 'a team is given with the team audience, and only with it',
  path: ['teamId'],
};

/** POST /api/v1/kb/articles: a new draft (version 1). */
export const CreateArticle = z
  .strictObject({ kind: ArticleKind, ...articleFields })
  .refine(teamMatchesAudience, audienceMessage);
export type CreateArticle = z.input<typeof CreateArticle>;

/** PATCH /api/v1/kb/articles/:id: a text change makes a new version (a published article goes back to draft). */
export const UpdateArticle = z
  .strictObject({ ...articleFields, note: z.string().trim().max(500).optional() })
  .partial()
  .refine(teamMatchesAudience, audienceMessage);
export type UpdateArticle = z.input<typeof UpdateArticle>;

export const ArticleTransition = z.strictObject({ to: ArticleStatus });
export type ArticleTransition = z.infer<typeof ArticleTransition>;

/** POST /api/v1/kb/articles/:id/approvals: the caller's vote on the review waiting for them. */
export const ArticleVote = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: Markdown(2000).default('') })
  .refine((v) => v.decision === 'approve' || v.reason.trim().length > 0, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });
export type ArticleVote = z.input<typeof ArticleVote>;

/** One version's text. */
export const ArticleText = z.object({
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  workaround: z.string(),
});
export type ArticleText = z.infer<typeof ArticleText>;

export const ArticleReview = z.object({
  round: z.number().int(),
  version: z.number().int(),
  rule: ApprovalRule,
  required: z.number().int(),
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  approvers: z.array(z.string()),
  votes: z.array(
    z.object({ by: z.string(), decision: z.enum(['approve', 'reject']), reason: z.string(), at: z.string() }),
  ),
  /** Whether the caller may still vote on it. */
  canVote: z.boolean(),
});
export type ArticleReview = z.infer<typeof ArticleReview>;

/** How an article is linked to a ticket: by an agent, made from it, or the problem's known error. */
export const ArticleTicketRole = z.enum(['related', 'source', 'known_error']);
export type ArticleTicketRole = z.infer<typeof ArticleTicketRole>;

/** A ticket an article is linked to, for agents on the article. */
export const ArticleTicket = z.object({
  id: z.uuid(),
  key: z.string(),
  type: TicketType,
  title: z.string(),
  status: TicketStatus,
  role: ArticleTicketRole,
});
export type ArticleTicket = z.infer<typeof ArticleTicket>;

/** An article's link to a CMDB item or a change: when the target changes, the article is flagged for review. */
export const ArticleTarget = z.object({
  type: z.enum(['item', 'change']),
  id: z.uuid(),
  name: z.string(),
});
export type ArticleTarget = z.infer<typeof ArticleTarget>;
/** Why an article waits for its owner's review: a linked item or change changed. */
export const ReviewFlag = z.object({ reason: z.string(), at: z.string() });

/** An article as the caller may see it: readers get the published text only; authors also the newest. */
export const Article = z.object({
  id: z.uuid(),
  key: z.string(),
  kind: ArticleKind,
  status: ArticleStatus,
  audience: ArticleAudience,
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  category: z.string(),
  tags: z.array(z.string()),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  reviewAt: z.string().nullable(),
  validTo: z.string().nullable(),
  /** The published text (null before the first publication, and once retired). */
  published: ArticleText.nullable(),
  /** The newest version, for authors (null for readers). */
  working: ArticleText.nullable(),
  review: ArticleReview.nullable(),
  /** The policy's acknowledgement, for the caller: required of them, and whether they have given it. */
  acknowledgement: z.object({ required: z.boolean(), acknowledgedAt: z.string().nullable() }).nullable(),
  canEdit: z.boolean(),
  /** For authors: the tickets it is linked to (those they may see), the items and changes it depends on. */
  tickets: z.array(ArticleTicket),
  targets: z.array(ArticleTarget),
  /** Set when a linked item or change changed since the last review (authors). */
  reviewFlag: ReviewFlag.nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Article = z.infer<typeof Article>;

export const ArticleSummary = z.object({
  id: z.uuid(),
  key: z.string(),
  kind: ArticleKind,
  status: ArticleStatus,
  title: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  audience: ArticleAudience,
  reviewAt: z.string().nullable(),
  validTo: z.string().nullable(),
  /** A linked item or change changed: the owner should review it (authors; false for readers). */
  flagged: z.boolean(),
  updatedAt: z.string(),
});
export type ArticleSummary = z.infer<typeof ArticleSummary>;

/**
 * GET /api/v1/kb/articles: published articles the caller may read; `scope=working` (authors) lists every
 * article with its newest title, by status.
 */
export const ArticleQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).optional(),
  kind: ArticleKind.optional(),
  category: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  status: ArticleStatus.optional(),
  scope: z.enum(['published', 'working']).default('published'),
  /** `working` scope only: articles flagged for review; `mine`: those I own. */
  flagged: z.enum(['true', 'false']).optional(),
  owner: z.enum(['me']).optional(),
  key: z
    .string()
    .regex(/^KB-[1-9]\d{0,8}$/i, 'an article key, KB-12')
    .optional(),
});
export type ArticleQuery = z.input<typeof ArticleQuery>;
/** The list query as the route hands it over (defaults applied). */
export type ArticleFilters = z.output<typeof ArticleQuery>;

export const ArticleVersionInfo = z.object({
  version: z.number().int(),
  title: z.string(),
  note: z.string(),
  author: z.string(),
  at: z.string(),
  published: z.boolean(),
});
export type ArticleVersionInfo = z.infer<typeof ArticleVersionInfo>;

export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
/** A line diff between two versions: lines kept, added and removed, in order (the title is line 0). */
export const ArticleDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  lines: z.array(z.object({ op: z.enum(['same', 'add', 'del']), text: z.string() })),
});
export type ArticleDiff = z.infer<typeof ArticleDiff>;

/** Who approves a kind: a team (IT when none) under a rule; policies only by managers and admins. */
export const KindApprovers = z.object({
  kind: ArticleKind,
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  rule: ApprovalRule,
  count: z.number().int().nullable(),
  version: z.number().int(),
});
export type KindApprovers = z.infer<typeof KindApprovers>;
export const UpdateKindApprovers = z
  .strictObject({
    teamId: z.uuid({ message: 'must be a team id' }).nullable(),
    rule: ApprovalRule,
    count: z.number().int().min(1).max(100).nullable().optional(),
  })
  .refine((l) => (l.rule === 'at_least') === (l.count !== undefined && l.count !== null), {
    message: 'count is given with the at_least rule, and only with it',
    path: ['count'],
  });
export type UpdateKindApprovers = z.input<typeof UpdateKindApprovers>;
export const KindParams = z.strictObject({ kind: ArticleKind });

/** PUT /api/v1/kb/articles/:id/campaign: who must acknowledge a published policy, by when. */
export const StartCampaign = z
  .strictObject({
    target: z.enum(['everyone', 'role', 'team']),
    role: Role.optional(),
    teamId: z.uuid({ message: 'must be a team id' }).optional(),
    dueOn: Day.nullable().optional(),
  })
  .refine((c) => (c.target === 'role') === (c.role !== undefined), {
    message: 'a role is given with the role target, and only with it',
    path: ['role'],
  })
  .refine((c) => (c.target === 'team') === (c.teamId !== undefined), {
    message: 'a team is given with the team target, and only with it',
    path: ['teamId'],
  });
export type StartCampaign = z.input<typeof StartCampaign>;

const Person = z.object({ id: z.uuid(), name: z.string(), at: z.string().nullable() });
/** A campaign's progress: who has and who has not acknowledged the published version. */
export const CampaignProgress = z.object({
  target: z.enum(['everyone', 'role', 'team']),
  role: Role.nullable(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  version: z.number().int(),
  dueOn: z.string().nullable(),
  startedBy: z.string(),
  total: z.number().int(),
  acknowledged: z.array(Person),
  pending: z.array(Person),
});
export type CampaignProgress = z.infer<typeof CampaignProgress>;

/** A policy waiting for the caller's acknowledgement. */
export const PendingAcknowledgement = z.object({
  id: z.uuid(),
  key: z.string(),
  title: z.string(),
  version: z.number().int(),
  dueOn: z.string().nullable(),
});
export type PendingAcknowledgement = z.infer<typeof PendingAcknowledgement>;
