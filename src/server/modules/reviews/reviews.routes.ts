import {
  EvidenceQuery,
  IdParams,
  Problem,
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecision,
  ReviewItem,
  ReviewItemPage,
  ReviewItemParams,
  ReviewItemQuery,
  StartReview,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { csvRow } from '../../platform/csv.js';
import * as reviews from './reviews.service.js';

const tags = ['reviews'];
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };

/** The access reviews' routes: campaigns, their holdings, decisions, closing and the evidence export. */
export function reviewsRoutes(app: App, ctx: Ctx): void {
  app.get(
    '/api/v1/reviews',
    { schema: { tags, summary: 'Access reviews I take part in', response: { 200: ReviewCampaignList } } },
    async (req) => ({ items: await reviews.listReviews(ctx, actorOf(req)) }),
  );
  app.post(
    '/api/v1/reviews',
    {
      schema: {
        tags,
        summary: 'Start an access review (admins)',
        body: StartReview,
        response: { 201: ReviewCampaign, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await reviews.startReview(ctx, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/reviews/:id',
    {
      schema: {
        tags,
        summary: 'An access review',
        params: IdParams,
        response: { 200: ReviewCampaign, 404: Problem },
      },
    },
    async (req) => reviews.getReview(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/reviews/:id/items',
    {
      schema: {
        tags,
        summary: 'The holdings under review (mine=true: those I decide)',
        params: IdParams,
        querystring: ReviewItemQuery,
        response: { 200: ReviewItemPage, ...errors },
      },
    },
    async (req) => reviews.reviewItems(ctx, actorOf(req), req.params.id, req.query),
  );
  app.post(
    '/api/v1/reviews/:id/items/:itemId/decision',
    {
      schema: {
        tags,
        summary: 'Confirm or revoke a holding (a revocation is applied at once)',
        params: ReviewItemParams,
        body: ReviewDecision,
        response: { 200: ReviewItem, ...errors },
      },
    },
    async (req) => reviews.decide(ctx, actorOf(req), req.params.id, req.params.itemId, req.body),
  );
  app.post(
    '/api/v1/reviews/:id/close',
    {
      schema: {
        tags,
        summary: 'Close an access review: its result is kept as evidence (admins)',
        params: IdParams,
        response: { 200: ReviewCampaign, ...errors },
      },
    },
    async (req) => reviews.closeReview(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/reviews/:id/evidence',
    {
      schema: {
        tags,
        summary: 'The evidence of a closed access review, as JSON or CSV (admins)',
        params: IdParams,
        querystring: EvidenceQuery,
      },
    },
    async (req, reply) => {
      const { evidence, sha256 } = await reviews.reviewEvidence(ctx, actorOf(req), req.params.id);
      reply.header('x-evidence-sha256', sha256);
      if (req.query.format === 'json') return reply.send({ ...evidence, sha256 });
      const head = [
        'kind',
        'holder',
        'holding',
        'decision',
        'decided by',
        'decided at',
        'comment',
        'outcome',
      ];
      const lines = evidence.items.map((i) =>
        csvRow([i.kind, i.holder, i.holding, i.decision, i.decidedBy, i.decidedAt, i.comment, i.outcome]),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="access-review.csv"')
        .send(csvRow(head) + lines.join(''));
    },
  );
}
