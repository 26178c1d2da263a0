import { z } from 'zod';
import {
  Drill,
  DrillEvidenceCheck,
  DrillHistory,
  DrillSchedule,
  DrillStepParams,
  IdParams,
  PageQuery,
  Problem,
  TickDrillStep,
  UpdateDrillSchedule,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { DrillDeps } from './drills.run.js';
import { getSchedule, setSchedule } from './drills.schedule.js';
import * as service from './drills.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** Drills of disaster-recovery plans: start, history and trend, a drill's steps and evidence, ticks, schedule. */
export function drillsRoutes(app: App, deps: DrillDeps): void {
  const tags = ['disaster recovery'];
  app.post(
    '/api/v1/dr/plans/:id/drills',
    {
      schema: {
        tags,
        summary: 'Drill a plan now: its devices are test-restored in recovery order (answers at once)',
        params: IdParams,
        response: { 202: Drill, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.code(202).send(await service.startDrill(deps, actorOf(req), req.params.id)),
  );
  app.get(
    '/api/v1/dr/plans/:id/drills',
    {
      schema: {
        tags,
        summary: 'A plan’s drills, newest first, with the trend of measured RTO and achieved RPO',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: DrillHistory, 400: Problem, 404: Problem },
      },
    },
    async (req) => service.listDrills(deps, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/dr/drills/:id',
    {
      schema: {
        tags,
        summary: 'A drill: its steps, times and, once finished, its evidence',
        params: IdParams,
        response: { 200: Drill, 400: Problem, 404: Problem },
      },
    },
    async (req) => service.getDrill(deps, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/dr/drills/:id/steps/:position/tick',
    {
      schema: {
        tags,
        summary: 'Tick a manual runbook step off (now, as you)',
        params: DrillStepParams,
        body: TickDrillStep.optional(),
        response: { 200: Drill, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) =>
      service.tickStep(deps, actorOf(req), req.params.id, req.params.position, req.body?.note ?? undefined),
  );
  app.post(
    '/api/v1/dr/drills/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a running drill (its evidence records what was done)',
        params: IdParams,
        response: { 200: Drill, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => service.cancelDrill(deps, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/dr/drills/:id/evidence/verify',
    {
      schema: {
        tags,
        summary: 'Check a drill’s evidence against the copy sealed in the audit chain',
        params: IdParams,
        response: { 200: DrillEvidenceCheck, 400: Problem, 404: Problem },
      },
    },
    async (req) => service.verifyEvidence(deps, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/dr/plans/:id/drill-schedule',
    {
      schema: {
        tags,
        summary: 'When a plan is drilled by itself (version 0: no schedule yet)',
        params: IdParams,
        response: { 200: DrillSchedule, 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const s = await getSchedule(deps, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(s.version)).send(s);
    },
  );
  app.put(
    '/api/v1/dr/plans/:id/drill-schedule',
    {
      schema: {
        tags,
        summary: 'Set when a plan is drilled by itself (If-Match required; "v0" the first time)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateDrillSchedule,
        response: {
          200: DrillSchedule,
          400: Problem,
          403: Problem,
          404: Problem,
          412: Problem,
          428: Problem,
        },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const s = await setSchedule(deps, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(s.version)).send(s);
    },
  );
}
