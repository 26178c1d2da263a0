import { z } from 'zod';
import {
  Article,
  ArticleDiff,
  ArticleQuery,
  ArticleSummary,
  ArticleTransition,
  ArticleVersionInfo,
  ArticleVote,
  CampaignProgress,
  CreateArticle,
  DiffQuery,
  IdParams,
  KindApprovers,
  KindParams,
  pageOf,
  PendingAcknowledgement,
  Problem,
  StartCampaign,
  UpdateArticle,
  UpdateKindApprovers,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import { acknowledgementService } from './ack.service.js';
import { approversService } from './admin.service.js';
import type { KnowledgeService } from './knowledge.service.js';
import { transitionArticle, voteOnArticle } from './lifecycle.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** The version an If-Match names (428 without one). */
function ifMatch(header: string | undefined): number {
  const v = versionFromIfMatch(header);
  if (v === undefined) throw PreconditionRequired();
  return v;
}

/** Sets the ETag of what the route answers with, and answers with it. */
function tagged<A extends { version: number }>(reply: { header(k: string, v: string): unknown }, a: A): A {
  reply.header('ETag', etagOf(a.version));
  return a;
}

/** The knowledge base's routes: articles, their moves, votes, versions and diffs; approvers; campaigns. */
export function knowledgeRoutes(app: App, ctx: Ctx, articles: KnowledgeService): void {
  const tags = ['knowledge'];
  const approvers = approversService(ctx);
  const acks = acknowledgementService(ctx);
  const base = '/api/v1/kb/articles';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List or search articles',
        querystring: ArticleQuery,
        response: { 200: pageOf(ArticleSummary), 400: Problem },
      },
    },
    async (req) => articles.list(actorOf(req), req.query),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Write a new article (a draft)',
        body: CreateArticle,
        response: { 201: Article, 400: Problem },
      },
    },
    async (req, reply) => tagged(reply.code(201), await articles.create(actorOf(req), req.body)),
  );
  app.get(
    `${base}/:id`,
    { schema: { tags, summary: 'An article', params: IdParams, response: { 200: Article, 404: Problem } } },
    async (req, reply) => tagged(reply, await articles.get(actorOf(req), req.params.id)),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Edit an article (If-Match required): new text is a new version',
        params: IdParams,
        headers: IfMatch,
        body: UpdateArticle,
        response: { 200: Article, 400: Problem, 409: Problem, 412: Problem },
      },
    },
    async (req, reply) =>
      tagged(
        reply,
        await articles.update(actorOf(req), req.params.id, ifMatch(req.headers['if-match']), req.body),
      ),
  );
  app.post(
    `${base}/:id/transitions`,
    {
      schema: {
        tags,
        summary: 'Submit, withdraw, publish or retire',
        params: IdParams,
        body: ArticleTransition,
        response: { 200: Article, 409: Problem },
      },
    },
    async (req, reply) => {
      await transitionArticle(ctx, actorOf(req), req.params.id, req.body);
      return tagged(reply, await articles.get(actorOf(req), req.params.id));
    },
  );
  app.post(
    `${base}/:id/approvals`,
    {
      schema: {
        tags,
        summary: 'Approve or reject the version in review',
        params: IdParams,
        body: ArticleVote,
        response: { 200: Article, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await voteOnArticle(ctx, actorOf(req), req.params.id, req.body);
      return tagged(reply, await articles.get(actorOf(req), req.params.id));
    },
  );
  app.get(
    `${base}/:id/versions`,
    {
      schema: {
        tags,
        summary: 'Every version, who and when',
        params: IdParams,
        response: { 200: z.object({ items: z.array(ArticleVersionInfo) }) },
      },
    },
    async (req) => ({ items: await articles.versions(actorOf(req), req.params.id) }),
  );
  app.get(
    `${base}/:id/diff`,
    {
      schema: {
        tags,
        summary: 'The line diff between two versions',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: ArticleDiff, 404: Problem },
      },
    },
    async (req) => articles.diff(actorOf(req), req.params.id, req.query.from, req.query.to),
  );
  app.get(
    `${base}/:id/campaign`,
    {
      schema: {
        tags,
        summary: 'Who has and has not acknowledged the policy',
        params: IdParams,
        response: { 200: CampaignProgress, 404: Problem },
      },
    },
    async (req) => acks.progress(actorOf(req), req.params.id),
  );
  app.put(
    `${base}/:id/campaign`,
    {
      schema: {
        tags,
        summary: 'Ask people to acknowledge a published policy',
        params: IdParams,
        body: StartCampaign,
        response: { 200: CampaignProgress, 400: Problem, 409: Problem },
      },
    },
    async (req) => acks.start(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    `${base}/:id/campaign`,
    {
      schema: {
        tags,
        summary: 'End the acknowledgement campaign',
        params: IdParams,
        response: { 204: z.null(), 404: Problem },
      },
    },
    async (req, reply) => {
      await acks.end(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/:id/acknowledgements`,
    {
      schema: {
        tags,
        summary: 'Acknowledge the published policy',
        params: IdParams,
        response: { 200: Article, 409: Problem },
      },
    },
    async (req, reply) => {
      await acks.acknowledge(actorOf(req), req.params.id);
      return tagged(reply, await articles.get(actorOf(req), req.params.id));
    },
  );
  app.get(
    '/api/v1/kb/acknowledgements',
    {
      schema: {
        tags,
        summary: 'Policies waiting for my acknowledgement',
        response: { 200: z.object({ items: z.array(PendingAcknowledgement) }) },
      },
    },
    async (req) => ({ items: await acks.mine(actorOf(req)) }),
  );
  app.get(
    '/api/v1/kb/approvers',
    {
      schema: {
        tags,
        summary: 'Who approves each kind',
        response: { 200: z.object({ items: z.array(KindApprovers) }) },
      },
    },
    async (req) => ({ items: await approvers.list(actorOf(req)) }),
  );
  app.put(
    '/api/v1/kb/approvers/:kind',
    {
      schema: {
        tags,
        summary: 'Set who approves a kind (If-Match required)',
        params: KindParams,
        headers: IfMatch,
        body: UpdateKindApprovers,
        response: { 200: KindApprovers, 400: Problem, 412: Problem },
      },
    },
    async (req, reply) => {
      const a = await approvers.update(
        actorOf(req),
        req.params.kind,
        ifMatch(req.headers['if-match']),
        req.body,
      );
      return reply.header('ETag', etagOf(a.version)).send(a);
    },
  );
}
