import { z } from 'zod';
import {
  PageQuery,
  pageOf,
  Problem,
  ServerBackupRun,
  ServerBackupSettings,
  UpdateServerBackupSettings,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import * as service from './server-backup.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** Steward's own backup: its settings, its runs, and a run on demand (admins). */
export function serverBackupRoutes(
  app: App,
  deps: service.ServerBackupDeps,
  track: (done: Promise<unknown>) => void,
): void {
  const tags = ['disaster recovery'];
  app.get(
    '/api/v1/dr/server-backup',
    {
      schema: {
        tags,
        summary: 'Where and when Steward backs itself up (admins)',
        response: { 200: ServerBackupSettings, 404: Problem },
      },
    },
    async (req, reply) => {
      const s = await service.getSettings(deps, actorOf(req));
      return reply.header('ETag', etagOf(s.version)).send(s);
    },
  );
  app.put(
    '/api/v1/dr/server-backup',
    {
      schema: {
        tags,
        summary: 'Change where and when Steward backs itself up (admins; If-Match required)',
        headers: IfMatch,
        body: UpdateServerBackupSettings,
        response: { 200: ServerBackupSettings, 400: Problem, 404: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const s = await service.updateSettings(deps, actorOf(req), version, req.body);
      return reply.header('ETag', etagOf(s.version)).send(s);
    },
  );
  app.get(
    '/api/v1/dr/server-backup/runs',
    {
      schema: {
        tags,
        summary: 'Runs of Steward’s own backup, newest first (admins)',
        querystring: PageQuery,
        response: { 200: pageOf(ServerBackupRun), 400: Problem, 404: Problem },
      },
    },
    async (req) => service.listRuns(deps, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/dr/server-backup/runs',
    {
      schema: {
        tags,
        summary: 'Back Steward up now (admins): answers at once; the run’s outcome is in the list',
        response: { 202: ServerBackupRun, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const { run, done } = await service.startRun(deps, actorOf(req), 'manual');
      track(done);
      return reply.code(202).send(run);
    },
  );
}
