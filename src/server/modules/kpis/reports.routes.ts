import { z } from 'zod';
import {
  IdParams,
  Problem,
  Report,
  ReportInput,
  ReportList,
  ReportRun,
  ReportRunList,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import {
  createReport,
  deleteReport,
  getReport,
  listReports,
  reportHistory,
  sendReportNow,
  updateReport,
} from './reports.service.js';

const tags = ['reports'];
const errors = { 400: Problem, 403: Problem, 404: Problem };
const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** The scheduled reports' routes: a person's own reports, "send now" and each report's history. */
export function reportsRoutes(app: App, ctx: Ctx): void {
  app.get(
    '/api/v1/reports',
    { schema: { tags, summary: 'My scheduled reports', response: { 200: ReportList, ...errors } } },
    async (req) => ({ items: await listReports(ctx, actorOf(req)) }),
  );
  app.post(
    '/api/v1/reports',
    {
      schema: {
        tags,
        summary: 'Schedule a report (a dashboard or KPIs, mailed as PDF and/or CSV)',
        body: ReportInput,
        response: { 201: Report, ...errors },
      },
    },
    async (req, reply) => {
      const r = await createReport(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(r.version)).send(r);
    },
  );
  app.get(
    '/api/v1/reports/:id',
    {
      schema: { tags, summary: 'One of my reports', params: IdParams, response: { 200: Report, ...errors } },
    },
    async (req, reply) => {
      const r = await getReport(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(r.version)).send(r);
    },
  );
  app.put(
    '/api/v1/reports/:id',
    {
      schema: {
        tags,
        summary: 'Change one of my reports (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: ReportInput,
        response: { 200: Report, ...errors, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const r = await updateReport(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(r.version)).send(r);
    },
  );
  app.delete(
    '/api/v1/reports/:id',
    {
      schema: {
        tags,
        summary: 'Delete one of my reports',
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    },
    async (req, reply) => {
      await deleteReport(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/reports/:id/send',
    {
      schema: {
        tags,
        summary: 'Send a report now (queued; its history shows the outcome)',
        params: IdParams,
        response: { 202: ReportRun, ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(await sendReportNow(ctx, actorOf(req), req.params.id)),
  );
  app.get(
    '/api/v1/reports/:id/runs',
    {
      schema: {
        tags,
        summary: 'When a report was sent or failed, newest first',
        params: IdParams,
        response: { 200: ReportRunList, ...errors },
      },
    },
    async (req) => ({ items: await reportHistory(ctx, actorOf(req), req.params.id) }),
  );
}
