import { z } from 'zod';
import {
  ApprovalRoute,
  ApprovalRouteName,
  Calendar,
  CalendarQuery,
  Change,
  ChangeDelegation,
  ChangeLinkInput,
  ChangeQuery,
  ChangeStats,
  ChangeStatsQuery,
  ChangeSummary,
  ChangeTemplate,
  ChangeTransition,
  ChangeVote,
  ChangeWindow,
  CreateChange,
  CreateChangeDelegation,
  CreateChangeTask,
  CreateChangeTemplate,
  CreateChangeWindow,
  IdParams,
  pageOf,
  Problem,
  RestoreChangePoint,
  RestorePointParams,
  TaskParams,
  UpdateApprovalRoute,
  UpdateChange,
  UpdateChangeTask,
  UpdateChangeTemplate,
  UpdateChangeWindow,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import { routesService, templatesService, windowsService } from './admin.service.js';
import { changesService } from './changes.service.js';
import { transitionChange, voteIn, voteOnChange, type Wiring } from './lifecycle.js';
import { ApprovalLinkDecision, ApprovalLinkToken, decideByLink, lookUpLink } from './approval-links.js';
import { addLink, addTask, setTask } from './work.service.js';
import { restoreFromPoint } from './restore-points.js';
import { delegationsService } from './delegations.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();
const RouteParams = z.strictObject({ route: ApprovalRouteName });

/** The version an If-Match names (428 without one). */
function ifMatch(header: string | undefined): number {
  const v = versionFromIfMatch(header);
  if (v === undefined) throw PreconditionRequired();
  return v;
}

/** Change management's routes: changes, their moves, votes, tasks and links; templates, routes, windows. */
export function changesRoutes(app: App, ctx: Ctx, w: Wiring): void {
  const rp = w.rp;
  const tags = ['changes'];
  const changes = changesService(ctx, rp, w.changed);
  resourceRoutes(app, {
    path: '/api/v1/change-templates',
    tags,
    noun: 'change template',
    item: ChangeTemplate,
    create: CreateChangeTemplate,
    update: UpdateChangeTemplate,
    service: templatesService(ctx),
  });
  resourceRoutes(app, {
    path: '/api/v1/change-windows',
    tags,
    noun: 'maintenance window or blackout',
    item: ChangeWindow,
    create: CreateChangeWindow,
    update: UpdateChangeWindow,
    service: windowsService(ctx),
  });
  const routes = routesService(ctx);
  app.get(
    '/api/v1/change-approval-routes',
    {
      schema: {
        tags,
        summary: 'Approval routes',
        response: { 200: z.object({ items: z.array(ApprovalRoute) }) },
      },
    },
    async (req) => ({
      items: await routes.list(actorOf(req)),
    }),
  );
  app.put(
    '/api/v1/change-approval-routes/:route',
    {
      schema: {
        tags,
        summary: 'Set an approval route (If-Match required)',
        params: RouteParams,
        headers: IfMatch,
        body: UpdateApprovalRoute,
        response: { 200: ApprovalRoute, 400: Problem, 412: Problem },
      },
    },
    async (req, reply) => {
      const r = await routes.update(
        actorOf(req),
        req.params.route,
        ifMatch(req.headers['if-match']),
        req.body,
      );
      return reply.header('ETag', etagOf(r.version)).send(r);
    },
  );
  app.post(
    '/api/v1/change-approval-links/look-up',
    {
      schema: {
        tags,
        summary: 'Which change an e-mailed approval link is for (the approver it was made for only)',
        body: ApprovalLinkToken,
        response: {
          200: z.object({ changeId: z.uuid(), level: z.number().int(), expiresAt: z.string() }),
          404: Problem,
        },
      },
    },
    async (req) => lookUpLink(ctx, actorOf(req), req.body),
  );
  app.post(
    '/api/v1/change-approval-links/decide',
    {
      schema: {
        tags,
        summary: 'Approve or reject through an e-mailed link (once; the approver it was made for)',
        body: ApprovalLinkDecision,
        response: { 200: Change, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const id = await decideByLink(ctx, actorOf(req), req.body, (db, actor, cid, v, level) =>
        voteIn(db, w.publicUrl, actor, cid, v, level),
      );
      return after(id, req);
    },
  );
  const delegations = delegationsService(ctx);
  app.get(
    '/api/v1/change-delegations',
    {
      schema: {
        tags,
        summary: 'Approval delegations not yet over (yours; change admins: all)',
        response: { 200: z.object({ items: z.array(ChangeDelegation) }) },
      },
    },
    async (req) => ({ items: await delegations.list(actorOf(req)) }),
  );
  app.post(
    '/api/v1/change-delegations',
    {
      schema: {
        tags,
        summary: 'Name a delegate who approves in your place for a period',
        body: CreateChangeDelegation,
        response: { 201: ChangeDelegation, 400: Problem, 403: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await delegations.create(actorOf(req), req.body)),
  );
  app.delete(
    '/api/v1/change-delegations/:id',
    {
      schema: {
        tags,
        summary: 'End a delegation',
        params: IdParams,
        response: { 204: z.null().describe('Ended'), 404: Problem },
      },
    },
    async (req, reply) => {
      await delegations.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/change-calendar',
    {
      schema: {
        tags,
        summary: 'Changes and windows in a range',
        querystring: CalendarQuery,
        response: { 200: Calendar },
      },
    },
    async (req) => changes.calendar(actorOf(req), req.query.from, req.query.to),
  );
  app.get(
    '/api/v1/change-stats',
    {
      schema: {
        tags,
        summary: 'Success rates per team and template of the changes closed in a period',
        querystring: ChangeStatsQuery,
        response: { 200: ChangeStats, 400: Problem },
      },
    },
    async (req) => changes.stats(actorOf(req), req.query),
  );
  app.get(
    '/api/v1/changes',
    {
      schema: {
        tags,
        summary: 'List changes',
        querystring: ChangeQuery,
        response: { 200: pageOf(ChangeSummary) },
      },
    },
    async (req) => changes.list(actorOf(req), req.query),
  );
  app.post(
    '/api/v1/changes',
    {
      schema: {
        tags,
        summary: 'Raise a change',
        body: CreateChange,
        response: { 201: Change, 400: Problem },
      },
    },
    async (req, reply) => {
      const c = await changes.create(actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.get(
    '/api/v1/changes/:id',
    { schema: { tags, summary: 'A change', params: IdParams, response: { 200: Change, 404: Problem } } },
    async (req, reply) => {
      const c = await changes.get(actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.patch(
    '/api/v1/changes/:id',
    {
      schema: {
        tags,
        summary: 'Edit a change (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateChange,
        response: { 200: Change, 400: Problem, 409: Problem, 412: Problem },
      },
    },
    async (req, reply) => {
      const c = await changes.update(actorOf(req), req.params.id, ifMatch(req.headers['if-match']), req.body);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  const after = async (id: string, req: Parameters<typeof actorOf>[0]) => changes.get(actorOf(req), id);
  app.post(
    '/api/v1/changes/:id/transitions',
    {
      schema: {
        tags,
        summary:
          'Move a change (202: implementing waits for the restore points Steward asked the items’ agents for)',
        params: IdParams,
        body: ChangeTransition,
        response: { 200: Change, 202: Change, 409: Problem },
      },
    },
    async (req, reply) => {
      const gate = await transitionChange(ctx, w, actorOf(req), req.params.id, req.body);
      return reply.code(gate === 'wait' ? 202 : 200).send(await after(req.params.id, req));
    },
  );
  app.post(
    '/api/v1/changes/:id/restore-points/:ciId/restore',
    {
      schema: {
        tags,
        summary: 'Put an item back as the change’s restore point had it (a change being backed out)',
        params: RestorePointParams,
        body: RestoreChangePoint,
        response: { 200: Change, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      await restoreFromPoint(ctx, rp, actorOf(req), req.params.id, req.params.ciId, req.body);
      return after(req.params.id, req);
    },
  );
  app.post(
    '/api/v1/changes/:id/approvals',
    {
      schema: {
        tags,
        summary: 'Approve or reject',
        params: IdParams,
        body: ChangeVote,
        response: { 200: Change, 403: Problem, 409: Problem },
      },
    },
    async (req) => {
      await voteOnChange(ctx, w.publicUrl, actorOf(req), req.params.id, req.body);
      return after(req.params.id, req);
    },
  );
  app.post(
    '/api/v1/changes/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a task',
        params: IdParams,
        body: CreateChangeTask,
        response: { 201: Change },
      },
    },
    async (req, reply) => {
      await addTask(ctx, actorOf(req), req.params.id, req.body);
      return reply.code(201).send(await after(req.params.id, req));
    },
  );
  app.patch(
    '/api/v1/changes/:id/tasks/:taskId',
    {
      schema: {
        tags,
        summary: 'Tick a task off',
        params: TaskParams,
        body: UpdateChangeTask,
        response: { 200: Change },
      },
    },
    async (req) => {
      await setTask(ctx, actorOf(req), req.params.id, req.params.taskId, req.body.done);
      return after(req.params.id, req);
    },
  );
  app.post(
    '/api/v1/changes/:id/links',
    {
      schema: {
        tags,
        summary: 'Link an incident caused or a problem fixed',
        params: IdParams,
        body: ChangeLinkInput,
        response: { 201: Change },
      },
    },
    async (req, reply) => {
      await addLink(ctx, actorOf(req), req.params.id, req.body);
      return reply.code(201).send(await after(req.params.id, req));
    },
  );
}
