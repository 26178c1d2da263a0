import {
  BackupRun,
  BackupRunsQuery,
  DeviceRepositoryList,
  Problem,
  pageOf,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { listRepositories, listRuns } from './listing.service.js';

/** The lists behind the backup pages (admins): a device's run history, and every device's repository. */
export function listingRoutes(app: App, ctx: Ctx): void {
  const tags = ['backups'];
  app.get(
    '/api/v1/backup/runs',
    {
      schema: {
        tags,
        summary: 'A computer’s backup runs, newest first, a page at a time (admins)',
        querystring: BackupRunsQuery,
        response: { 200: pageOf(BackupRun), 400: Problem, 404: Problem },
      },
    },
    async (req) => listRuns(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/backup/repositories',
    {
      schema: {
        tags,
        summary: 'Every device’s backup repository, by device name (admins)',
        response: { 200: DeviceRepositoryList },
      },
    },
    async (req) => ({ items: await listRepositories(ctx, actorOf(req)) }),
  );
}
