import { z } from 'zod';
import {
  CreateView,
  IdParams,
  PageQuery,
  Problem,
  QueuePrefs,
  SavedView,
  UpdateView,
  ViewPage,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { getQueuePrefs, saveQueuePrefs } from './queue-prefs.service.js';
import { createView, deleteView, getView, listViews, updateView } from './views.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/views: saved ticket filters, private to each user. */
export function viewsRoutes(app: App, { ctx }: Deps): void {
  const tags = ['views'];
  app.get(
    '/api/v1/queue-prefs',
    { schema: { tags, summary: 'My ticket queue layout (columns, density)', response: { 200: QueuePrefs } } },
    async (req) => getQueuePrefs(ctx, actorOf(req)),
  );
  app.put(
    '/api/v1/queue-prefs',
    {
      schema: {
        tags,
        summary: 'Save my ticket queue layout',
        body: QueuePrefs,
        response: { 200: QueuePrefs, 400: Problem },
      },
    },
    async (req) => saveQueuePrefs(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/v1/views',
    { schema: { tags, summary: 'List my saved views', querystring: PageQuery, response: { 200: ViewPage } } },
    async (req) => listViews(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/views',
    {
      schema: {
        tags,
        summary: 'Save a view',
        body: CreateView,
        response: { 201: SavedView, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const v = await createView(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.get(
    '/api/v1/views/:id',
    {
      schema: {
        tags,
        summary: 'Get one of my views',
        params: IdParams,
        response: { 200: SavedView, 404: Problem },
      },
    },
    async (req, reply) => {
      const v = await getView(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.patch(
    '/api/v1/views/:id',
    {
      schema: {
        tags,
        summary: 'Change one of my views (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateView,
        response: { 200: SavedView, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const v = await updateView(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.delete(
    '/api/v1/views/:id',
    {
      schema: {
        tags,
        summary: 'Delete one of my views',
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: Problem },
      },
    },
    async (req, reply) => {
      await deleteView(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
