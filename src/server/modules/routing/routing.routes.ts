import { z } from 'zod';
import {
  AwayStatus,
  CreateRoutingRule,
  IdParams,
  Problem,
  ReorderRoutingRules,
  RoutingRule,
  RoutingRuleList,
  RoutingSample,
  RoutingTestResult,
  TeamAssignment,
  UpdateRoutingRule,
} from '../../../contracts/index.js';
import { PreconditionRequired, Unauthenticated } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import {
  createRule,
  deleteRule,
  getAway,
  getRule,
  getTeamAssignment,
  listRules,
  reorderRules,
  setAway,
  setTeamAssignment,
  updateRule,
} from './routing.service.js';
import { testRules } from './dry-run.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/routing-rules, a team's assignment strategy, and the away flag of agents. */
export function routingRoutes(app: App, { ctx }: Deps): void {
  const tags = ['routing'];
  app.get(
    '/api/v1/routing-rules',
    {
      schema: { tags, summary: 'List routing rules in evaluation order', response: { 200: RoutingRuleList } },
    },
    async (req) => listRules(ctx, actorOf(req)),
  );
  app.post(
    '/api/v1/routing-rules',
    {
      schema: {
        tags,
        summary: 'Create a routing rule',
        body: CreateRoutingRule,
        response: { 201: RoutingRule, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const rule = await createRule(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(rule.version)).send(rule);
    },
  );
  app.put(
    '/api/v1/routing-rules/order',
    {
      schema: {
        tags,
        summary: 'Reorder routing rules (every id once)',
        body: ReorderRoutingRules,
        response: { 200: RoutingRuleList, 400: Problem },
      },
    },
    async (req) => reorderRules(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/v1/routing-rules/test',
    {
      schema: {
        tags,
        summary: 'Route a sample ticket through the enabled rules without creating it (admins)',
        body: RoutingSample,
        response: { 200: RoutingTestResult, 400: Problem, 403: Problem },
      },
    },
    async (req) => testRules(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/v1/routing-rules/:id',
    {
      schema: {
        tags,
        summary: 'Get a routing rule',
        params: IdParams,
        response: { 200: RoutingRule, 404: Problem },
      },
    },
    async (req, reply) => {
      const rule = await getRule(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(rule.version)).send(rule);
    },
  );
  app.patch(
    '/api/v1/routing-rules/:id',
    {
      schema: {
        tags,
        summary: 'Update a routing rule (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateRoutingRule,
        response: { 200: RoutingRule, 400: Problem, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const rule = await updateRule(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(rule.version)).send(rule);
    },
  );
  app.delete(
    '/api/v1/routing-rules/:id',
    {
      schema: {
        tags,
        summary: 'Delete a routing rule (If-Match optional)',
        params: IdParams,
        headers: IfMatch,
        response: { 204: z.null().describe('Deleted'), 404: Problem, 412: Problem },
      },
    },
    async (req, reply) => {
      await deleteRule(ctx, actorOf(req), req.params.id, versionFromIfMatch(req.headers['if-match']));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/teams/:id/assignment',
    {
      schema: {
        tags,
        summary: 'A team’s assignment strategy',
        params: IdParams,
        response: { 200: TeamAssignment, 404: Problem },
      },
    },
    async (req) => getTeamAssignment(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/teams/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Set how a team shares automatically assigned tickets',
        params: IdParams,
        body: TeamAssignment,
        response: { 200: TeamAssignment, 400: Problem, 404: Problem },
      },
    },
    async (req) => setTeamAssignment(ctx, actorOf(req), req.params.id, req.body),
  );
  const me = (userId: string | null) => {
    if (!userId) throw Unauthenticated();
    return userId;
  };
  app.get(
    '/api/v1/users/me/away',
    { schema: { tags, summary: 'Whether I am marked away', response: { 200: AwayStatus } } },
    async (req) => getAway(ctx, actorOf(req), me(actorOf(req).userId)),
  );
  app.put(
    '/api/v1/users/me/away',
    {
      schema: {
        tags,
        summary: 'Mark myself away or back',
        body: AwayStatus,
        response: { 200: AwayStatus, 403: Problem },
      },
    },
    async (req) => setAway(ctx, actorOf(req), me(actorOf(req).userId), req.body),
  );
  app.get(
    '/api/v1/users/:id/away',
    {
      schema: {
        tags,
        summary: 'Whether a user is marked away',
        params: IdParams,
        response: { 200: AwayStatus, 404: Problem },
      },
    },
    async (req) => getAway(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/users/:id/away',
    {
      schema: {
        tags,
        summary: 'Mark a user away or back (admins)',
        params: IdParams,
        body: AwayStatus,
        response: { 200: AwayStatus, 403: Problem, 404: Problem },
      },
    },
    async (req) => setAway(ctx, actorOf(req), req.params.id, req.body),
  );
}
