import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  CreateRecurrence,
  CreateTicketField,
  CreateTicketTemplate,
  FieldValues,
  IdParams,
  Line,
  Markdown,
  Problem,
  Recurrence,
  RecurrenceList,
  SetTicketFields,
  Ticket,
  TicketField,
  TicketFieldList,
  TicketFieldValues,
  TicketTemplate,
  TicketTemplateList,
  UpdateRecurrence,
  UpdateTicketField,
  UpdateTicketTemplate,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import {
  createField,
  deleteField,
  listFields,
  setTicketFields,
  ticketFields,
  updateField,
} from './fields.service.js';
import {
  createRecurrence,
  deleteRecurrence,
  listRecurrences,
  updateRecurrence,
} from './recurring.service.js';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  openFromTemplate,
  updateTemplate,
} from './templates.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };
const deleted = { 204: z.null().describe('Deleted'), 403: Problem, 404: Problem };
const OpenFromTemplate = z.strictObject({
  requesterId: z.uuid().optional(),
  title: Line(200).optional(),
  description: Markdown(20_000).optional(),
  fields: FieldValues.optional(),
});

function versionOf(header: string | undefined): number {
  const v = versionFromIfMatch(header);
  if (v === undefined) throw PreconditionRequired();
  return v;
}

/**
 * One admin resource: list, create, change (If-Match) and delete, with `path` and the service's functions.
 */
function crud<C extends z.ZodType, U extends z.ZodType, V extends z.ZodType, L extends z.ZodType>(
  app: App,
  path: string,
  tag: string,
  s: { create: C; update: U; view: V; list: L },
  f: {
    list: (actor: ReturnType<typeof actorOf>) => Promise<z.infer<L>>;
    create: (
      actor: ReturnType<typeof actorOf>,
      body: z.infer<C>,
    ) => Promise<z.infer<V> & { version: number }>;
    update: (
      actor: ReturnType<typeof actorOf>,
      id: string,
      version: number,
      body: z.infer<U>,
    ) => Promise<z.infer<V> & { version: number }>;
    remove: (actor: ReturnType<typeof actorOf>, id: string) => Promise<void>;
  },
): void {
  const tags = [tag];
  // Generic schemas defeat the type provider: the plain instance (responses are still checked at run time).
  const r = app as unknown as FastifyInstance;
  r.get(
    path,
    { schema: { tags, summary: `List ${tag}`, response: { 200: s.list, 403: Problem } } },
    async (req) => f.list(actorOf(req)),
  );
  r.post(
    path,
    {
      schema: { tags, summary: `Create one of ${tag}`, body: s.create, response: { 201: s.view, ...errors } },
    },
    async (req, reply) => {
      const v = await f.create(actorOf(req), req.body as z.infer<C>);
      return reply.code(201).header('ETag', etagOf(v.version)).send(v);
    },
  );
  r.patch(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Change one of ${tag} (If-Match required)`,
        params: IdParams,
        headers: IfMatch,
        body: s.update,
        response: { 200: s.view, ...errors, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const { id } = req.params as IdParams;
      const v = await f.update(actorOf(req), id, versionOf(req.headers['if-match']), req.body as z.infer<U>);
      return reply.header('ETag', etagOf(v.version)).send(v);
    },
  );
  r.delete(
    `${path}/:id`,
    { schema: { tags, summary: `Delete one of ${tag}`, params: IdParams, response: deleted } },
    async (req, reply) => {
      await f.remove(actorOf(req), (req.params as IdParams).id);
      return reply.code(204).send(null);
    },
  );
}

/** Custom fields, ticket templates and recurring tickets (issue 27). */
export function fieldsRoutes(app: App, { ctx }: Deps): void {
  crud(
    app,
    '/api/v1/ticket-fields',
    'ticket-fields',
    {
      create: CreateTicketField,
      update: UpdateTicketField,
      view: TicketField,
      list: TicketFieldList,
    },
    {
      list: (a) => listFields(ctx, a),
      create: (a, b) => createField(ctx, a, b),
      update: (a, id, v, b) => updateField(ctx, a, id, v, b),
      remove: (a, id) => deleteField(ctx, a, id),
    },
  );
  crud(
    app,
    '/api/v1/ticket-templates',
    'ticket-templates',
    {
      create: CreateTicketTemplate,
      update: UpdateTicketTemplate,
      view: TicketTemplate,
      list: TicketTemplateList,
    },
    {
      list: (a) => listTemplates(ctx, a),
      create: (a, b) => createTemplate(ctx, a, b),
      update: (a, id, v, b) => updateTemplate(ctx, a, id, v, b),
      remove: (a, id) => deleteTemplate(ctx, a, id),
    },
  );
  crud(
    app,
    '/api/v1/ticket-recurrences',
    'ticket-recurrences',
    {
      create: CreateRecurrence,
      update: UpdateRecurrence,
      view: Recurrence,
      list: RecurrenceList,
    },
    {
      list: (a) => listRecurrences(ctx, a),
      create: (a, b) => createRecurrence(ctx, a, b),
      update: (a, id, v, b) => updateRecurrence(ctx, a, id, v, b),
      remove: (a, id) => deleteRecurrence(ctx, a, id),
    },
  );
  const tags = ['ticket-templates'];
  app.get(
    '/api/v1/ticket-templates/:id',
    {
      schema: {
        tags,
        summary: 'Get a template',
        params: IdParams,
        response: { 200: TicketTemplate, 403: Problem, 404: Problem },
      },
    },
    async (req) => getTemplate(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/ticket-templates/:id/tickets',
    {
      schema: {
        tags,
        summary: 'Open a ticket from a template (overrides optional)',
        params: IdParams,
        body: OpenFromTemplate,
        response: { 201: Ticket, ...errors },
      },
    },
    async (req, reply) => {
      const t = await openFromTemplate(ctx, actorOf(req), req.params.id, req.body);
      return reply
        .code(201)
        .header('ETag', etagOf(t.version))
        .header('Location', `/api/v1/tickets/${t.id}`)
        .send(t);
    },
  );
  app.get(
    '/api/v1/tickets/:id/fields',
    {
      schema: {
        tags: ['tickets'],
        summary: "A ticket's custom fields and their values",
        params: IdParams,
        response: { 200: TicketFieldValues, 404: Problem },
      },
    },
    async (req) => ticketFields(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/tickets/:id/fields',
    {
      schema: {
        tags: ['tickets'],
        summary: "Change a ticket's custom field values (null clears)",
        params: IdParams,
        body: SetTicketFields,
        response: { 200: TicketFieldValues, ...errors },
      },
    },
    async (req) => setTicketFields(ctx, actorOf(req), req.params.id, req.body.fields),
  );
}
