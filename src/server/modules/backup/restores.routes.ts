/** Routes of restores: requests (service desk and requesters), the agents' claims, and the portal's self-service. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  BackupRestore,
  CreateRestore,
  IdParams,
  MyDevices,
  Problem,
  RestoreClaim,
  RestoreList,
  RestoreListQuery,
  RestoreOutcome,
  RestoreProgress,
  RestoreProgressAnswer,
  SelfServiceRestore,
  SelfServiceResult,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { claimRestore, finishRestore, reportProgress } from './restores.agent.js';
import { myDevices, selfServiceRestore } from './restores.portal.js';
import { cancelRestore, createRestore, getRestore, listRestores } from './restores.service.js';
import type { TargetDeps } from './targets.service.js';

const bearerOf = (req: FastifyRequest): string => {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
};
const tags = ['backups'];
const agentRoute = { config: { public: true } } as const;

/** Restore requests, for people. */
function requestRoutes(app: App, deps: TargetDeps): void {
  app.post(
    '/api/v1/backup/restores',
    {
      schema: {
        tags,
        summary: 'Ask for a restore (service desk: any device; requesters: their own, onto their own)',
        body: CreateRestore,
        response: { 201: BackupRestore, 400: Problem, 404: Problem, 409: Problem, 502: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await createRestore(deps, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/backup/restores',
    {
      schema: {
        tags,
        summary: 'Restore requests, newest first (service desk: all; requesters: their own)',
        querystring: RestoreListQuery,
        response: { 200: RestoreList },
      },
    },
    async (req) => ({ items: await listRestores(deps.ctx, actorOf(req), req.query) }),
  );
  app.get(
    '/api/v1/backup/restores/:id',
    {
      schema: {
        tags,
        summary: 'A restore request with its progress and result',
        params: IdParams,
        response: { 200: BackupRestore, 404: Problem },
      },
    },
    async (req) => getRestore(deps.ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/backup/restores/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a queued or running restore',
        params: IdParams,
        response: { 200: BackupRestore, 404: Problem, 409: Problem },
      },
    },
    async (req) => cancelRestore(deps.ctx, actorOf(req), req.params.id),
  );
}

/** The agents' side: claim the next restore onto their device, report progress and the outcome. */
function agentRoutes(app: App, deps: TargetDeps): void {
  app.post(
    '/api/v1/agents/backup/restores/claim',
    {
      ...agentRoute,
      schema: {
        tags,
        summary: 'An agent claims the next restore onto its device (204 when there is none)',
        security: [{ bearer: [] }],
        response: { 200: RestoreClaim, 204: z.null(), 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const claim = await claimRestore(deps, bearerOf(req));
      return claim ? claim : reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/agents/backup/restores/:id/progress',
    {
      ...agentRoute,
      schema: {
        tags,
        summary: 'An agent reports a claimed restore’s progress; the answer says whether to go on',
        security: [{ bearer: [] }],
        params: IdParams,
        body: RestoreProgress,
        response: { 200: RestoreProgressAnswer, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => reportProgress(deps.ctx, bearerOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/agents/backup/restores/:id/finish',
    {
      ...agentRoute,
      schema: {
        tags,
        summary: 'An agent reports what came of a claimed restore',
        security: [{ bearer: [] }],
        params: IdParams,
        body: RestoreOutcome,
        response: { 200: BackupRestore, 400: Problem, 401: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => finishRestore(deps.ctx, bearerOf(req), req.params.id, req.body),
  );
}

/** The portal's "Get my files back": the caller's own devices only. */
function portalRoutes(app: App, deps: TargetDeps): void {
  app.get(
    '/api/v1/portal/devices',
    { schema: { tags, summary: 'My computers, and whether each has backups', response: { 200: MyDevices } } },
    async (req) => ({ items: await myDevices(deps, actorOf(req)) }),
  );
  app.post(
    '/api/v1/portal/restores',
    {
      schema: {
        tags,
        summary: 'Get my files back: a service request and a restore by my computer’s agent',
        body: SelfServiceRestore,
        response: { 201: SelfServiceResult, 400: Problem, 404: Problem, 409: Problem, 502: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await selfServiceRestore(deps, actorOf(req), req.body)),
  );
}

export function restoreRoutes(app: App, deps: TargetDeps): void {
  requestRoutes(app, deps);
  agentRoutes(app, deps);
  portalRoutes(app, deps);
}
