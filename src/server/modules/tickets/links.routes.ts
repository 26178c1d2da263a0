import { z } from 'zod';
import {
  CreateLink,
  IdParams,
  LinkParams,
  MergeTicket,
  Problem,
  Ticket,
  TicketLink,
  TicketLinkList,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { createLink, deleteLink, listLinks, mergeTicket } from './links.service.js';

const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };

/** /api/v1/tickets/:id/links and /merge: problems and their incidents, parents and children, duplicates. */
export function linksRoutes(app: App, { ctx }: Deps): void {
  const tags = ['tickets'];
  app.get(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags,
        summary: 'Links of a ticket (to tickets the caller may see)',
        params: IdParams,
        response: { 200: TicketLinkList, 404: Problem },
      },
    },
    async (req) => ({ items: await listLinks(ctx, actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags,
        summary: 'Link to a problem or a parent ticket (agents)',
        params: IdParams,
        body: CreateLink,
        response: { 201: TicketLink, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createLink(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/tickets/:id/links/:linkId',
    {
      schema: {
        tags,
        summary: 'Remove a problem or parent link (agents)',
        params: LinkParams,
        response: { 204: z.null().describe('Removed'), ...errors },
      },
    },
    async (req, reply) => {
      await deleteLink(ctx, actorOf(req), req.params.id, req.params.linkId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/tickets/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge this duplicate into another ticket: it closes, its conversation moves over (agents)',
        params: IdParams,
        body: MergeTicket,
        response: { 200: Ticket, ...errors },
      },
    },
    async (req, reply) => {
      const t = await mergeTicket(ctx, actorOf(req), req.params.id, req.body);
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
}
