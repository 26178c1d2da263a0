import { z } from 'zod';
import {
  CancelRequest,
  CatalogueItem,
  CatalogueRequest,
  CompleteTask,
  IdParams,
  ItemQuery,
  Problem,
  RequestQuery,
  RequestVote,
  SaveItem,
  SubmitRequest,
  RequestTaskParams,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { ItemsService } from './items.service.js';
import type { RequestsService } from './requests.service.js';
import { cancelRequest, completeTask, voteOnRequest } from './workflow.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** Sets the ETag of what the route answers with, and answers with it. */
function tagged<A extends { version: number }>(reply: { header(k: string, v: string): unknown }, a: A): A {
  reply.header('ETag', etagOf(a.version));
  return a;
}

/**
 * The service catalogue's routes: items (admins keep them; people list what they may request), requests
 * (submit, read, list by what one works on), votes and fulfilment tasks.
 */
export function catalogueRoutes(app: App, ctx: Ctx, items: ItemsService, requests: RequestsService): void {
  const tags = ['catalogue'];
  const base = '/api/v1/catalogue';
  app.get(
    `${base}/items`,
    {
      schema: {
        tags,
        summary: 'What the caller may request (scope=all: every item, for catalogue admins)',
        querystring: ItemQuery,
        response: { 200: z.object({ items: z.array(CatalogueItem) }) },
      },
    },
    async (req) => items.list(actorOf(req), req.query.scope),
  );
  app.post(
    `${base}/items`,
    {
      schema: {
        tags,
        summary: 'Add an item',
        body: SaveItem,
        response: { 201: CatalogueItem, 400: Problem },
      },
    },
    async (req, reply) => tagged(reply.code(201), await items.create(actorOf(req), req.body)),
  );
  app.get(
    `${base}/items/:id`,
    {
      schema: { tags, summary: 'An item', params: IdParams, response: { 200: CatalogueItem, 404: Problem } },
    },
    async (req, reply) => tagged(reply, await items.get(actorOf(req), req.params.id)),
  );
  app.put(
    `${base}/items/:id`,
    {
      schema: {
        tags,
        summary: 'Save an item as a whole (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: SaveItem,
        response: { 200: CatalogueItem, 400: Problem, 412: Problem },
      },
    },
    async (req, reply) => {
      const v = versionFromIfMatch(req.headers['if-match']);
      if (v === undefined) throw PreconditionRequired();
      return tagged(reply, await items.update(actorOf(req), req.params.id, v, req.body));
    },
  );
  app.post(
    `${base}/items/:id/requests`,
    {
      schema: {
        tags,
        summary: 'Request the item with the answers to its form',
        params: IdParams,
        body: SubmitRequest,
        response: { 201: CatalogueRequest, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await requests.submit(actorOf(req), req.params.id, req.body)),
  );
  app.get(
    `${base}/requests`,
    {
      schema: {
        tags,
        summary: 'Requests: mine, waiting for my vote, open tasks of my teams, or all (admins)',
        querystring: RequestQuery,
        response: { 200: z.object({ items: z.array(CatalogueRequest) }) },
      },
    },
    async (req) => requests.list(actorOf(req), req.query),
  );
  app.get(
    `${base}/requests/:id`,
    {
      schema: {
        tags,
        summary: 'A request',
        params: IdParams,
        response: { 200: CatalogueRequest, 404: Problem },
      },
    },
    async (req) => requests.get(actorOf(req), req.params.id),
  );
  app.post(
    `${base}/requests/:id/votes`,
    {
      schema: {
        tags,
        summary: 'Approve or reject at the level waiting for the caller',
        params: IdParams,
        body: RequestVote,
        response: { 200: CatalogueRequest, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      await voteOnRequest(ctx, actorOf(req), req.params.id, req.body);
      return requests.get(actorOf(req), req.params.id);
    },
  );
  app.post(
    `${base}/requests/:id/tasks/:position/complete`,
    {
      schema: {
        tags,
        summary: "Mark the request's open task done (its team)",
        params: RequestTaskParams,
        body: CompleteTask,
        response: { 200: CatalogueRequest, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      await completeTask(ctx, actorOf(req), req.params.id, req.params.position, req.body);
      return requests.get(actorOf(req), req.params.id);
    },
  );
  app.post(
    `${base}/requests/:id/cancel`,
    {
      schema: {
        tags,
        summary: 'Cancel a request no longer wanted (its requester or a catalogue admin), with the reason',
        params: IdParams,
        body: CancelRequest,
        response: { 200: CatalogueRequest, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      await cancelRequest(ctx, actorOf(req), req.params.id, req.body);
      return requests.get(actorOf(req), req.params.id);
    },
  );
}
