import { z } from 'zod';
import {
  Problem,
  ReportBackupChanges,
  ServiceBackupDetail,
  ServicesBackupStatus,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { bearerOf } from './backup.routes.js';
import { reportChanges, serviceStatus, servicesStatus } from './rpo.service.js';

/** Business services' recovery points (admins), and agents' counts of changed files. */
export function rpoRoutes(app: App, ctx: Ctx): void {
  const tags = ['backups'];
  app.get(
    '/api/v1/backup/services',
    {
      schema: {
        tags,
        summary: 'Every business service’s recovery point: the worst of the computers it depends on (admins)',
        response: { 200: ServicesBackupStatus },
      },
    },
    async (req) => ({ services: await servicesStatus(ctx, actorOf(req)) }),
  );
  app.get(
    '/api/v1/backup/services/:ciId',
    {
      schema: {
        tags,
        summary:
          'A business service’s recovery point and each computer it depends on, riskiest first (admins)',
        params: z.strictObject({ ciId: z.uuid({ message: 'must be a service id' }) }),
        response: { 200: ServiceBackupDetail, 404: Problem },
      },
    },
    async (req) => serviceStatus(ctx, actorOf(req), req.params.ciId),
  );
  app.post(
    '/api/v1/agents/backup/changes',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'An agent reports how many files changed since its last good snapshot (Authorization: Bearer <agent token>)',
        security: [{ bearer: [] }],
        body: ReportBackupChanges,
        response: { 204: z.null().describe('Stored'), 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await reportChanges(ctx, bearerOf(req), req.body);
      return reply.code(204).send(null);
    },
  );
}
