import { z } from 'zod';
import { ArticleKind, ArticleStatus, ArticleTicketRole } from './knowledge.js';
import { Markdown } from './tickets.js';

/** An article linked to a ticket, as the caller may see it (`via`: the problem whose known error it is). */
export const TicketArticle = z.object({
  id: z.uuid(),
  key: z.string(),
  kind: ArticleKind,
  status: ArticleStatus,
  title: z.string(),
  role: ArticleTicketRole,
  via: z.string().nullable().describe('the problem (PRB-3) an incident has this known error through'),
  linkedBy: z.string(),
  linkedAt: z.string(),
});
export type TicketArticle = z.infer<typeof TicketArticle>;
export const TicketArticleList = z.object({ items: z.array(TicketArticle) });

/** POST /api/v1/tickets/:id/articles: link an article to a ticket (agents). */
export const LinkArticle = z.strictObject({ articleId: z.uuid({ message: 'must be an article id' }) });
export type LinkArticle = z.infer<typeof LinkArticle>;
export const TicketArticleParams = z.strictObject({ id: z.uuid(), articleId: z.uuid() });

/** POST /api/v1/tickets/:id/known-error: the problem's known error article (a draft), with its workaround. */
export const CreateKnownError = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  workaround: Markdown(20_000).optional(),
});
export type CreateKnownError = z.infer<typeof CreateKnownError>;

/** GET /api/v1/kb/suggestions: published articles matching what a requester is typing. */
export const SuggestionQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(10).default(5),
});
export type SuggestionQuery = z.input<typeof SuggestionQuery>;
export const Suggestion = z.object({ id: z.uuid(), key: z.string(), kind: ArticleKind, title: z.string() });
export type Suggestion = z.infer<typeof Suggestion>;

/** POST /api/v1/kb/suggestions/opened: the requester opened a suggestion during one visit of the form. */
export const SuggestionOpened = z.strictObject({
  sessionId: z.uuid({ message: 'must be the page visit id' }),
  articleId: z.uuid({ message: 'must be an article id' }),
});
export type SuggestionOpened = z.infer<typeof SuggestionOpened>;

/**
 * POST /api/v1/kb/avoided: a ticket avoided, at most one per visit: `solved` ("this solved it") or `left`
 * (left the form without sending, after opening that suggestion).
 */
export const TicketAvoided = z.strictObject({
  sessionId: z.uuid({ message: 'must be the page visit id' }),
  articleId: z.uuid({ message: 'must be an article id' }),
  how: z.enum(['solved', 'left']),
});
export type TicketAvoided = z.infer<typeof TicketAvoided>;
export const AvoidedResult = z.object({ counted: z.boolean() });

/** GET /api/v1/kb/avoided: tickets avoided per article over a period (agents). */
export const AvoidedQuery = z.strictObject({
  from: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }).optional(),
  to: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }).optional(),
});
export const AvoidedReport = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  total: z.number().int(),
  items: z.array(
    z.object({
      id: z.uuid(),
      key: z.string(),
      title: z.string(),
      solved: z.number().int(),
      left: z.number().int(),
      total: z.number().int(),
    }),
  ),
});
export type AvoidedReport = z.infer<typeof AvoidedReport>;

export const LinkArticleTarget = z.strictObject({
  type: z.enum(['item', 'change']),
  id: z.uuid({ message: 'must be an item or change id' }),
});
export type LinkArticleTarget = z.infer<typeof LinkArticleTarget>;
export const ArticleTargetParams = z.strictObject({
  id: z.uuid(),
  type: z.enum(['item', 'change']),
  targetId: z.uuid(),
});

/** An image in an article: referenced from the Markdown as `![name](url)`. */
export const ArticleImage = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  url: z.string(),
  markdown: z.string(),
  createdAt: z.string(),
});
export type ArticleImage = z.infer<typeof ArticleImage>;
export const ArticleImageParams = z.strictObject({ id: z.uuid(), imageId: z.uuid() });
