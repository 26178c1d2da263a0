import { z } from 'zod';
import {
  Article,
  ArticleTargetParams,
  AvoidedQuery,
  AvoidedReport,
  AvoidedResult,
  CreateKnownError,
  IdParams,
  LinkArticle,
  LinkArticleTarget,
  Problem,
  Suggestion,
  SuggestionOpened,
  SuggestionQuery,
  TicketArticleList,
  TicketArticleParams,
  TicketAvoided,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import type { KnowledgeService } from './knowledge.service.js';
import {
  createKnownError,
  linkArticle,
  ticketArticles,
  turnIntoArticle,
  unlinkArticle,
} from './flow.service.js';
import { avoidedReport, suggestionOpened, suggestions, ticketAvoided } from './suggest.service.js';
import { linkTarget, markReviewed, unlinkTarget } from './targets.service.js';

const Done = z.null().describe('Done');

/**
 * Knowledge in the flow of work: a ticket's articles (links owned here), "turn into article", a problem's
 * known error, portal suggestions and tickets avoided, and articles' links to items and changes.
 */
export function flowRoutes(app: App, ctx: Ctx, articles: KnowledgeService): void {
  const tags = ['knowledge'];
  app.get(
    '/api/v1/tickets/:id/articles',
    {
      schema: {
        tags,
        summary: 'The articles linked to a ticket (an incident also shows its problem’s known error)',
        params: IdParams,
        response: { 200: TicketArticleList, 404: Problem },
      },
    },
    async (req) => ({ items: await ticketArticles(ctx, actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/v1/tickets/:id/articles',
    {
      schema: {
        tags,
        summary: 'Link an article to a ticket (agents)',
        params: IdParams,
        body: LinkArticle,
        response: { 201: TicketArticleList, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await linkArticle(ctx, actorOf(req), req.params.id, req.body);
      return reply.code(201).send({ items: await ticketArticles(ctx, actorOf(req), req.params.id) });
    },
  );
  app.delete(
    '/api/v1/tickets/:id/articles/:articleId',
    {
      schema: {
        tags,
        summary: 'Unlink an article from a ticket (agents)',
        params: TicketArticleParams,
        response: { 204: Done, 404: Problem },
      },
    },
    async (req, reply) => {
      await unlinkArticle(ctx, actorOf(req), req.params.id, req.params.articleId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/tickets/:id/article',
    {
      schema: {
        tags,
        summary: 'Turn a resolved ticket into a draft how-to (one per ticket)',
        params: IdParams,
        body: z.strictObject({}).optional(),
        response: { 201: Article, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const id = await turnIntoArticle(ctx, actorOf(req), req.params.id);
      return reply.code(201).send(await articles.get(actorOf(req), id));
    },
  );
  app.post(
    '/api/v1/tickets/:id/known-error',
    {
      schema: {
        tags,
        summary: 'Give a problem its known error article (a draft with the workaround; one per problem)',
        params: IdParams,
        body: CreateKnownError,
        response: { 201: Article, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const id = await createKnownError(ctx, actorOf(req), req.params.id, req.body);
      return reply.code(201).send(await articles.get(actorOf(req), id));
    },
  );
  app.get(
    '/api/v1/kb/suggestions',
    {
      schema: {
        tags,
        summary: 'Published articles matching what a requester is typing',
        querystring: SuggestionQuery,
        response: { 200: z.object({ items: z.array(Suggestion) }), 400: Problem },
      },
    },
    async (req) => ({ items: await suggestions(ctx, actorOf(req), req.query.q, req.query.limit) }),
  );
  app.post(
    '/api/v1/kb/suggestions/opened',
    {
      schema: {
        tags,
        summary: 'The requester opened a suggestion while writing a ticket',
        body: SuggestionOpened,
        response: { 204: Done, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await suggestionOpened(ctx, actorOf(req), req.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/kb/avoided',
    {
      schema: {
        tags,
        summary: 'A ticket avoided by an article (at most one per visit of the form)',
        body: TicketAvoided,
        response: { 200: AvoidedResult, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => ticketAvoided(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/v1/kb/avoided',
    {
      schema: {
        tags,
        summary: 'Tickets avoided per article over a period (agents)',
        querystring: AvoidedQuery,
        response: { 200: AvoidedReport, 400: Problem },
      },
    },
    async (req) => avoidedReport(ctx, actorOf(req), req.query.from, req.query.to),
  );
  app.post(
    '/api/v1/kb/articles/:id/targets',
    {
      schema: {
        tags,
        summary: 'Link an article to an item or a change (a change to it flags the article for review)',
        params: IdParams,
        body: LinkArticleTarget,
        response: { 204: Done, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await linkTarget(ctx, actorOf(req), req.params.id, req.body);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/api/v1/kb/articles/:id/targets/:type/:targetId',
    {
      schema: {
        tags,
        summary: 'Unlink an article from an item or a change',
        params: ArticleTargetParams,
        response: { 204: Done, 404: Problem },
      },
    },
    async (req, reply) => {
      await unlinkTarget(ctx, actorOf(req), req.params.id, req.params.type, req.params.targetId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/kb/articles/:id/reviewed',
    {
      schema: {
        tags,
        summary: 'The article was reviewed against its changed items and changes: the flag goes',
        params: IdParams,
        response: { 204: Done, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await markReviewed(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
