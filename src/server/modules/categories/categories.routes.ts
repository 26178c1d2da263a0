import { z } from 'zod';
import {
  Category,
  CategoryPage,
  CategoryQuery,
  CreateCategory,
  IdParams,
  Problem,
  UpdateCategory,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  updateCategory,
} from './categories.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/categories: the ticket category tree. */
export function categoriesRoutes(app: App, { ctx }: Deps): void {
  const tags = ['categories'];
  app.get(
    '/api/v1/categories',
    {
      schema: {
        tags,
        summary: 'List categories',
        querystring: CategoryQuery,
        response: { 200: CategoryPage },
      },
    },
    async (req) => listCategories(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/categories',
    {
      schema: {
        tags,
        summary: 'Create a category',
        body: CreateCategory,
        response: { 201: Category, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const c = await createCategory(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.get(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Get a category',
        params: IdParams,
        response: { 200: Category, 404: Problem },
      },
    },
    async (req, reply) => {
      const c = await getCategory(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.patch(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Rename or move a category (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateCategory,
        response: {
          200: Category,
          400: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
          412: Problem,
          428: Problem,
        },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const c = await updateCategory(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.delete(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Delete an unused category',
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await deleteCategory(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
