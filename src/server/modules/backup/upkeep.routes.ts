import { z } from 'zod';
import { BackupUpkeep, PageQuery, Problem, RunUpkeep, UpkeepPage } from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { listUpkeep, requestUpkeep, type UpkeepDeps } from './upkeep.service.js';

const Device = z.strictObject({ ciId: z.uuid({ message: 'must be a device id' }) });

/** A device repository's upkeep: its history, and running one task now (admins). */
export function upkeepRoutes(app: App, deps: UpkeepDeps): void {
  const tags = ['backups'];
  app.get(
    '/api/v1/backup/repositories/:ciId/upkeep',
    {
      schema: {
        tags,
        summary: 'A device repository’s upkeep (forget, prune, check), newest first (admins)',
        params: Device,
        querystring: PageQuery,
        response: { 200: UpkeepPage, 400: Problem, 404: Problem },
      },
    },
    async (req) => listUpkeep(deps.ctx, actorOf(req), req.params.ciId, req.query),
  );
  app.post(
    '/api/v1/backup/repositories/:ciId/upkeep',
    {
      schema: {
        tags,
        summary: 'Queue one upkeep task on a device’s repository now: forget, prune or check (admins)',
        params: Device,
        body: RunUpkeep,
        response: { 202: BackupUpkeep, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await requestUpkeep(deps, actorOf(req), req.params.ciId, req.body.kind)),
  );
}
