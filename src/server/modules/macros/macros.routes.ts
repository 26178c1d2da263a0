import { z } from 'zod';
import {
  ApplyMacro,
  CreateMacro,
  IdParams,
  Macro,
  MacroApplied,
  MacroList,
  Problem,
  UpdateMacro,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { applyMacro, createMacro, deleteMacro, getMacro, listMacros, updateMacro } from './macros.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };

/** /api/v1/macros: canned replies and macros (a reply plus field changes), personal or a team's. */
export function macrosRoutes(app: App, { ctx }: Deps): void {
  const tags = ['macros'];
  app.get(
    '/api/v1/macros',
    { schema: { tags, summary: 'The macros I may use', response: { 200: MacroList, 404: Problem } } },
    async (req) => listMacros(ctx, actorOf(req)),
  );
  app.post(
    '/api/v1/macros',
    { schema: { tags, summary: 'Save a macro', body: CreateMacro, response: { 201: Macro, ...errors } } },
    async (req, reply) => {
      const m = await createMacro(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(m.version)).send(m);
    },
  );
  app.get(
    '/api/v1/macros/:id',
    { schema: { tags, summary: 'Get a macro', params: IdParams, response: { 200: Macro, 404: Problem } } },
    async (req, reply) => {
      const m = await getMacro(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(m.version)).send(m);
    },
  );
  app.patch(
    '/api/v1/macros/:id',
    {
      schema: {
        tags,
        summary: 'Change a macro (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateMacro,
        response: { 200: Macro, ...errors, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const m = await updateMacro(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(m.version)).send(m);
    },
  );
  app.delete(
    '/api/v1/macros/:id',
    {
      schema: {
        tags,
        summary: 'Delete a macro',
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await deleteMacro(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/macros/:id/apply',
    {
      schema: {
        tags,
        summary: 'Apply a macro to a ticket: its reply and changes in one step, all or nothing',
        params: IdParams,
        body: ApplyMacro,
        response: { 200: MacroApplied, ...errors },
      },
    },
    async (req, reply) => {
      const done = await applyMacro(ctx, actorOf(req), req.params.id, req.body.ticketId);
      return reply.header('ETag', etagOf(done.ticket.version)).send(done);
    },
  );
}
