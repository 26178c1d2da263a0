import { z } from 'zod';
import { PriorityMatrix, Problem, ServiceDeskSettings } from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { getPriorityMatrix, getServiceDesk, putPriorityMatrix, putServiceDesk } from './settings.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/settings/priority-matrix and /api/v1/settings/service-desk */
export function settingsRoutes(app: App, { ctx }: Deps): void {
  const tags = ['settings'];
  app.get(
    '/api/v1/settings/priority-matrix',
    {
      schema: {
        tags,
        summary: 'The priority matrix: matrix[urgency-1][impact-1]',
        response: { 200: PriorityMatrix, 404: Problem },
      },
    },
    async (req, reply) => {
      const s = await getPriorityMatrix(ctx, actorOf(req));
      return reply.header('ETag', etagOf(s.version)).send(s.value);
    },
  );
  app.put(
    '/api/v1/settings/priority-matrix',
    {
      schema: {
        tags,
        summary: 'Replace the priority matrix (If-Match required)',
        headers: IfMatch,
        body: PriorityMatrix,
        response: { 200: PriorityMatrix, 403: Problem, 404: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const s = await putPriorityMatrix(ctx, actorOf(req), version, req.body);
      return reply.header('ETag', etagOf(s.version)).send(s.value);
    },
  );
  app.get(
    '/api/v1/settings/service-desk',
    {
      schema: {
        tags,
        summary: 'Service-desk settings',
        response: { 200: ServiceDeskSettings, 404: Problem },
      },
    },
    async (req, reply) => {
      const s = await getServiceDesk(ctx, actorOf(req));
      return reply.header('ETag', etagOf(s.version)).send(s.value);
    },
  );
  app.put(
    '/api/v1/settings/service-desk',
    {
      schema: {
        tags,
        summary: 'Replace the service-desk settings (If-Match required)',
        headers: IfMatch,
        body: ServiceDeskSettings,
        response: { 200: ServiceDeskSettings, 403: Problem, 404: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const s = await putServiceDesk(ctx, actorOf(req), version, req.body);
      return reply.header('ETag', etagOf(s.version)).send(s.value);
    },
  );
}
