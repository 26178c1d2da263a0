import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AgentBackupAccess,
  AssignPolicy,
  AssignRepository,
  BackupPolicy,
  BackupRun,
  DeviceBackupStatus,
  FleetBackupStatus,
  ReportBackupRun,
  ReportBackupProgress,
  CreateBackupPolicy,
  PolicyCoverage,
  UpdateBackupPolicy,
  BackupTarget,
  CreateBackupTarget,
  DeviceRepository,
  IdParams,
  Problem,
  TargetTestResult,
  UpdateBackupTarget,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import { agentAccess, assignRepository, getRepository } from './repositories.service.js';
import { policiesService } from './policies.service.js';
import { reportProgress } from './progress.service.js';
import * as runs from './runs.service.js';
import { evaluate } from './watch.service.js';
import * as targets from './targets.service.js';
import type { TargetDeps } from './targets.service.js';

const Device = z.strictObject({ ciId: z.uuid({ message: 'must be a device id' }) });

/** The bearer token of a request (an agent's), or ''. */
export function bearerOf(req: FastifyRequest): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/** Storage targets and device repositories (admins), and an agent's own backup access. */
export function backupAdminRoutes(app: App, deps: TargetDeps, publicUrl: string): void {
  const tags = ['backups'];
  resourceRoutes(app, {
    path: '/api/v1/backup/targets',
    tags,
    noun: 'storage target',
    item: BackupTarget,
    create: CreateBackupTarget,
    update: UpdateBackupTarget,
    service: {
      list: (actor) => targets.listTargets(deps, actor),
      get: (actor, id) => targets.getTarget(deps, actor, id),
      create: (actor, input) => targets.createTarget(deps, actor, input),
      update: (actor, id, version, input) => targets.updateTarget(deps, actor, id, version, input),
      remove: (actor, id) => targets.deleteTarget(deps, actor, id),
    },
  });
  const policies = policiesService(deps.ctx);
  resourceRoutes(app, {
    path: '/api/v1/backup/policies',
    tags,
    noun: 'backup policy',
    item: BackupPolicy,
    create: CreateBackupPolicy,
    update: UpdateBackupPolicy,
    service: policies,
  });
  app.post(
    '/api/v1/backup/policies/:id/assignments',
    {
      schema: {
        tags,
        summary: 'Assign a policy to an item, location, team or class (replacing what that one had)',
        params: IdParams,
        body: AssignPolicy,
        response: { 200: BackupPolicy, 400: Problem, 404: Problem },
      },
    },
    async (req) => policies.assign(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/backup/policies/:id/assignments/:assignmentId',
    {
      schema: {
        tags,
        summary: 'Remove one of a policy’s assignments',
        params: z.strictObject({ id: z.uuid(), assignmentId: z.uuid() }),
        response: { 200: BackupPolicy, 404: Problem },
      },
    },
    async (req) => policies.unassign(actorOf(req), req.params.id, req.params.assignmentId),
  );
  app.get(
    '/api/v1/backup/policies/:id/devices',
    {
      schema: {
        tags,
        summary: 'Preview: the devices a policy covers, and through which assignment',
        params: IdParams,
        response: { 200: PolicyCoverage, 404: Problem },
      },
    },
    async (req) => policies.coverage(actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/agents/backup/runs',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'An agent reports a backup run of its own device (Authorization: Bearer <agent token>)',
        security: [{ bearer: [] }],
        body: ReportBackupRun,
        response: { 201: BackupRun, 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const run = await runs.reportRun(deps.ctx, bearerOf(req), req.body);
      // The device's incident opens or resolves with the report; a failure here must not lose the report
      // (the watch job evaluates again within a minute).
      await evaluate(deps.ctx, run.ciId).catch((err: unknown) =>
        req.log.error({ err }, 'backup watch after a report failed'),
      );
      return reply.code(201).send(run);
    },
  );
  app.post(
    '/api/v1/agents/backup/progress',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'An agent posts how far the running backup of its own device is, every few seconds (Authorization: Bearer <agent token>)',
        security: [{ bearer: [] }],
        body: ReportBackupProgress,
        response: { 204: z.null().describe('Recorded'), 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await reportProgress(deps.ctx, bearerOf(req), req.body);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/backup/status',
    {
      schema: {
        tags,
        summary: 'Every computer’s recovery point, riskiest first (admins)',
        response: { 200: FleetBackupStatus },
      },
    },
    async (req) => ({ devices: await runs.fleetStatus(deps.ctx, actorOf(req)) }),
  );
  app.get(
    '/api/v1/backup/status/:ciId',
    {
      schema: {
        tags,
        summary: 'A computer’s recovery point and its last runs (admins)',
        params: Device,
        response: { 200: DeviceBackupStatus.extend({ runs: z.array(BackupRun) }), 404: Problem },
      },
    },
    async (req) => ({
      ...(await runs.deviceStatus(deps.ctx, actorOf(req), req.params.ciId)),
      runs: await runs.runsOf(deps.ctx, actorOf(req), req.params.ciId, 50),
    }),
  );
  app.post(
    '/api/v1/backup/targets/:id/test',
    {
      schema: {
        tags,
        summary: 'Test a storage target: write, read, list and delete a probe (admins)',
        params: IdParams,
        response: { 200: TargetTestResult, 404: Problem },
      },
    },
    async (req) => targets.testTarget(deps, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/backup/repositories/:ciId',
    {
      schema: {
        tags,
        summary: 'A device’s backup repository (admins)',
        params: Device,
        response: { 200: DeviceRepository, 404: Problem },
      },
    },
    async (req) => getRepository(deps, actorOf(req), req.params.ciId),
  );
  app.put(
    '/api/v1/backup/repositories/:ciId',
    {
      schema: {
        tags,
        summary: 'Give a device a backup repository of its own on a target (admins)',
        params: Device,
        body: AssignRepository,
        response: { 201: DeviceRepository, 404: Problem, 409: Problem, 502: Problem },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await assignRepository(deps, actorOf(req), req.params.ciId, req.body.targetId)),
  );
  app.get(
    '/api/v1/agents/backup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'An agent’s backup access: its repository on the endpoint and the repository password',
        security: [{ bearer: [] }],
        response: { 200: AgentBackupAccess, 401: Problem, 404: Problem },
      },
    },
    async (req) => agentAccess(deps, bearerOf(req), publicUrl),
  );
}
