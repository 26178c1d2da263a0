import { z } from 'zod';
import {
  AddWatcher,
  BulkUpdateTickets,
  Comment,
  ConfirmTicket,
  CreateComment,
  CreateTicket,
  IdParams,
  PageQuery,
  Problem,
  ReopenTicket,
  Ticket,
  TicketSla,
  TicketCount,
  TicketList,
  TicketPage,
  TicketListQuery,
  TicketListCountQuery,
  TimelinePage,
  TransitionTicket,
  UpdateTicket,
  WatcherParams,
  Watchers,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { attachmentRoutes } from './attachments.routes.js';
import { fieldsRoutes } from './fields.routes.js';
import { linksRoutes } from './links.routes.js';
import { addComment, addWatcher, listWatchers, removeWatcher, ticketTimeline } from './comments.service.js';
import { confirmTicket, reopenTicket } from './csat.service.js';
import { countTickets, listTickets } from './search.service.js';
import { createTicket } from './create.service.js';
import { replyAndChange } from './reply.service.js';
import {
  bulkUpdateTickets,
  getTicket,
  getTicketSla,
  transitionTicket,
  updateTicket,
} from './tickets.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };

/** /api/v1/tickets: the service desk (with its attachments and links). */
export async function ticketsRoutes(app: App, deps: Deps): Promise<void> {
  const { ctx } = deps;
  const tags = ['tickets'];
  linksRoutes(app, deps);
  fieldsRoutes(app, deps);
  await attachmentRoutes(app, deps);
  app.get(
    '/api/v1/tickets',
    {
      schema: {
        tags,
        summary: 'Find tickets (filters, full-text search, keyset pages for every sort)',
        querystring: TicketListQuery,
        response: { 200: TicketPage, 400: Problem },
      },
    },
    async (req) => listTickets(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/tickets/count',
    {
      schema: {
        tags,
        summary: 'Count the tickets matching the filters',
        querystring: TicketListCountQuery,
        response: { 200: TicketCount, 400: Problem },
      },
    },
    async (req) => countTickets(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/tickets',
    { schema: { tags, summary: 'Open a ticket', body: CreateTicket, response: { 201: Ticket, ...errors } } },
    async (req, reply) => {
      const t = await createTicket(ctx, actorOf(req), req.body);
      return reply
        .code(201)
        .header('ETag', etagOf(t.version))
        .header('Location', `/api/v1/tickets/${t.id}`)
        .send(t);
    },
  );
  app.post(
    '/api/v1/tickets/bulk',
    {
      schema: {
        tags,
        summary: 'Change many tickets at once, all or nothing',
        body: BulkUpdateTickets,
        response: { 200: TicketList, ...errors },
      },
    },
    async (req) => ({ items: await bulkUpdateTickets(ctx, actorOf(req), req.body) }),
  );
  app.get(
    '/api/v1/tickets/:id',
    { schema: { tags, summary: 'Get a ticket', params: IdParams, response: { 200: Ticket, 404: Problem } } },
    async (req, reply) => {
      const t = await getTicket(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
  app.get(
    '/api/v1/tickets/:id/sla',
    {
      schema: {
        tags,
        summary: 'A ticket’s SLA clocks, recomputed from its history now (agents and above)',
        params: IdParams,
        response: { 200: TicketSla, 404: Problem },
      },
    },
    async (req) => getTicketSla(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/v1/tickets/:id',
    {
      schema: {
        tags,
        summary: 'Change a ticket (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateTicket,
        response: { 200: Ticket, ...errors, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const t = await updateTicket(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
  app.post(
    '/api/v1/tickets/:id/transition',
    {
      schema: {
        tags,
        summary: 'Move a ticket to another status (If-Match optional)',
        params: IdParams,
        headers: IfMatch,
        body: TransitionTicket,
        response: { 200: Ticket, ...errors, 412: Problem },
      },
    },
    async (req, reply) => {
      const t = await transitionTicket(
        ctx,
        actorOf(req),
        req.params.id,
        versionFromIfMatch(req.headers['if-match']),
        req.body,
      );
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
  app.post(
    '/api/v1/tickets/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a resolution (requester): closes the ticket, with an optional rating',
        params: IdParams,
        body: ConfirmTicket,
        response: { 200: Ticket, ...errors },
      },
    },
    async (req, reply) => {
      const t = await confirmTicket(ctx, actorOf(req), req.params.id, req.body);
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
  app.post(
    '/api/v1/tickets/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a resolved ticket within the reopen window (requester)',
        params: IdParams,
        body: ReopenTicket,
        response: { 200: Ticket, ...errors },
      },
    },
    async (req, reply) => {
      const t = await reopenTicket(ctx, actorOf(req), req.params.id, req.body);
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
  app.post(
    '/api/v1/tickets/:id/comments',
    {
      schema: {
        tags,
        summary: 'Reply publicly or add an internal note; with `status`, also move the ticket (one step)',
        params: IdParams,
        body: CreateComment,
        response: { 201: Comment, ...errors },
      },
    },
    async (req, reply) => {
      const { status, pendingReason, ...comment } = req.body;
      if (status === undefined && pendingReason === undefined) {
        return reply.code(201).send(await addComment(ctx, actorOf(req), req.params.id, comment));
      }
      const done = await replyAndChange(ctx, actorOf(req), req.params.id, {
        ...comment,
        change: { status, pendingReason },
        action: 'ticket.transitioned',
      });
      // The body is never blank (the contract says so), so there is always a comment.
      if (!done.comment) throw new Error('reply and change posted no reply');
      return reply.code(201).header('ETag', etagOf(done.ticket.version)).send(done.comment);
    },
  );
  app.get(
    '/api/v1/tickets/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Comments and changes of a ticket, oldest first',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: TimelinePage, 404: Problem },
      },
    },
    async (req) => ticketTimeline(ctx, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/tickets/:id/watchers',
    {
      schema: {
        tags,
        summary: 'Watchers of a ticket',
        params: IdParams,
        response: { 200: Watchers, 404: Problem },
      },
    },
    async (req) => listWatchers(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/tickets/:id/watchers',
    {
      schema: {
        tags,
        summary: 'Add a watcher',
        params: IdParams,
        body: AddWatcher,
        response: { 200: Watchers, ...errors },
      },
    },
    async (req) => addWatcher(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/tickets/:id/watchers/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a watcher',
        params: WatcherParams,
        response: { 204: z.null().describe('Removed'), 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await removeWatcher(ctx, actorOf(req), req.params.id, req.params.userId);
      return reply.code(204).send(null);
    },
  );
}
