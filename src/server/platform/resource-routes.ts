import { z } from 'zod';
import { IdParams, pageOf, Problem } from '../../contracts/index.js';
import type { Actor } from './permissions.js';
import { PreconditionRequired } from './errors.js';
import { actorOf, type App } from './http.js';
import { etagOf, versionFromIfMatch } from './pagination.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** The service calls behind an admin-edited resource; each checks the actor's permission itself. */
export interface ResourceService<V extends { version: number }, C, U> {
  /** The whole list (small resources); a resource that pages passes `page` to {@link resourceRoutes} instead. */
  list?(actor: Actor): Promise<V[]>;
  get(actor: Actor, id: string): Promise<V>;
  create(actor: Actor, input: C): Promise<V>;
  update(actor: Actor, id: string, version: number, input: U): Promise<V>;
  remove(actor: Actor, id: string): Promise<void>;
}

/** A keyset-paged list: its query schema and the service call answering a page. */
export interface PagedList<V, Q> {
  query: z.ZodType<Q>;
  list(actor: Actor, q: Q): Promise<{ items: V[]; nextCursor: string | null }>;
}

/**
 * The five routes of an admin-edited resource at `path`: list, create (201 + ETag), get (ETag), update
 * (If-Match required: 428 without, 412 when stale) and delete (204). Thin: identity from the session or
 * token, everything else in the service.
 */
export function resourceRoutes<V extends { version: number }, C, U, Q = never>(
  app: App,
  opts: {
    path: string;
    tags: string[];
    /** "calendar", "policy": for the summaries. */
    noun: string;
    item: z.ZodType<V>;
    create: z.ZodType<C>;
    update: z.ZodType<U>;
    service: ResourceService<V, C, U>;
    /** The `:id` path parameter (default: a UUID); e.g. a class's key. */
    params?: z.ZodType<{ id: string }>;
    /** A keyset-paged list (its query, e.g. PageQuery, and the service call) instead of the service's `list`. */
    page?: PagedList<V, Q>;
  },
): void {
  const { path, tags, noun, service: s } = opts;
  const params = opts.params ?? IdParams;
  const paged = opts.page;
  if (paged) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: `List ${noun}s, a page at a time`,
          querystring: paged.query,
          response: { 200: pageOf(opts.item), 400: Problem },
        },
      },
      async (req) => paged.list(actorOf(req), req.query as Q),
    );
  } else {
    if (!s.list) throw new Error(`${path}: a resource needs a list or a page`);
    const list = z.object({ items: z.array(opts.item) });
    app.get(path, { schema: { tags, summary: `List ${noun}s`, response: { 200: list } } }, async (req) => ({
      items: (await s.list?.(actorOf(req))) ?? [],
    }));
  }
  app.post(
    path,
    {
      schema: {
        tags,
        summary: `Create a ${noun}`,
        body: opts.create,
        response: { 201: opts.item, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const v = await s.create(actorOf(req), req.body as C);
      return reply.code(201).header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.get(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Get a ${noun}`,
        params,
        response: { 200: opts.item, 404: Problem },
      },
    },
    async (req, reply) => {
      const v = await s.get(actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.patch(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Update a ${noun} (If-Match required)`,
        params,
        headers: IfMatch,
        body: opts.update,
        response: { 200: opts.item, 400: Problem, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const v = await s.update(actorOf(req), req.params.id, version, req.body as U);
      return reply.header('ETag', etagOf(v.version)).send(v);
    },
  );
  app.delete(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Delete a ${noun}`,
        params,
        response: { 204: z.null().describe('Deleted'), 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await s.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
