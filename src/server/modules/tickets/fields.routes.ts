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
  SetTicketFields,
  Ticket,
  TicketField,
  TicketFieldValues,
  TicketTemplate,
  UpdateRecurrence,
  UpdateTicketField,
  UpdateTicketTemplate,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf } from '../../platform/pagination.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import type { Deps } from '../deps.js';
import {
  createField,
  deleteField,
  getField,
  listFields,
  setTicketFields,
  ticketFields,
  updateField,
} from './fields.service.js';
import {
  createRecurrence,
  deleteRecurrence,
  getRecurrence,
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

const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };
const OpenFromTemplate = z.strictObject({
  requesterId: z.uuid().optional(),
  title: Line(200).optional(),
  description: Markdown(20_000).optional(),
  fields: FieldValues.optional(),
});

/** Custom fields, ticket templates and recurring tickets (issue 27). */
export function fieldsRoutes(app: App, { ctx }: Deps): void {
  resourceRoutes(app, {
    path: '/api/v1/ticket-fields',
    tags: ['ticket-fields'],
    noun: 'custom field',
    item: TicketField,
    create: CreateTicketField,
    update: UpdateTicketField,
    service: {
      list: async (a) => (await listFields(ctx, a)).items,
      get: (a, id) => getField(ctx, a, id),
      create: (a, b) => createField(ctx, a, b),
      update: (a, id, v, b) => updateField(ctx, a, id, v, b),
      remove: (a, id) => deleteField(ctx, a, id),
    },
  });
  resourceRoutes(app, {
    path: '/api/v1/ticket-templates',
    tags: ['ticket-templates'],
    noun: 'ticket template',
    item: TicketTemplate,
    create: CreateTicketTemplate,
    update: UpdateTicketTemplate,
    service: {
      list: async (a) => (await listTemplates(ctx, a)).items,
      get: (a, id) => getTemplate(ctx, a, id),
      create: (a, b) => createTemplate(ctx, a, b),
      update: (a, id, v, b) => updateTemplate(ctx, a, id, v, b),
      remove: (a, id) => deleteTemplate(ctx, a, id),
    },
  });
  resourceRoutes(app, {
    path: '/api/v1/ticket-recurrences',
    tags: ['ticket-recurrences'],
    noun: 'recurring ticket',
    item: Recurrence,
    create: CreateRecurrence,
    update: UpdateRecurrence,
    service: {
      list: async (a) => (await listRecurrences(ctx, a)).items,
      get: (a, id) => getRecurrence(ctx, a, id),
      create: (a, b) => createRecurrence(ctx, a, b),
      update: (a, id, v, b) => updateRecurrence(ctx, a, id, v, b),
      remove: (a, id) => deleteRecurrence(ctx, a, id),
    },
  });
  const tags = ['ticket-templates'];
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
