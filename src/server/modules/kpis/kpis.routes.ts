import { z } from 'zod';
import {
  Dashboard,
  DashboardInput,
  DashboardList,
  DashboardParams,
  KPI_KEYS,
  KpiCatalogue,
  KpiFilter,
  KpiInfo,
  KpiItems,
  KpiItemsQuery,
  type KpiKey,
  KpiParams,
  KpiResult,
  KpiTargetInput,
  Problem,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound, PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import {
  createDashboard,
  deleteDashboard,
  getDashboard,
  listDashboards,
  updateDashboard,
} from './dashboards.service.js';
import { kpiItems } from './items.service.js';
import { computeKpi, kpiCatalogue, setTarget } from './kpis.service.js';

const tags = ['kpis'];
const errors = { 400: Problem, 403: Problem, 404: Problem };
const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** An unknown KPI is a 404. */
function kpiKey(key: string): KpiKey {
  if (!(KPI_KEYS as readonly string[]).includes(key)) throw NotFound('KPI');
  return key as KpiKey;
}

/** The KPI and dashboard routes. */
export function kpisRoutes(app: App, ctx: Ctx): void {
  app.get(
    '/api/v1/kpis',
    { schema: { tags, summary: 'Every KPI with its target', response: { 200: KpiCatalogue, ...errors } } },
    async (req) => ({ items: await kpiCatalogue(ctx, actorOf(req)) }),
  );
  app.get(
    '/api/v1/kpis/:key',
    {
      schema: {
        tags,
        summary: 'A KPI over a period (UTC days), per team or business service, with its trend',
        params: KpiParams,
        querystring: KpiFilter,
        response: { 200: KpiResult, ...errors },
      },
    },
    async (req) => computeKpi(ctx, actorOf(req), kpiKey(req.params.key), req.query),
  );
  app.get(
    '/api/v1/kpis/:key/items',
    {
      schema: {
        tags,
        summary: 'The list a KPI counts (its total is the figure’s count; hits=true: the numerator)',
        params: KpiParams,
        querystring: KpiItemsQuery,
        response: { 200: KpiItems, ...errors },
      },
    },
    async (req) => kpiItems(ctx, actorOf(req), kpiKey(req.params.key), req.query),
  );
  app.put(
    '/api/v1/kpis/:key/target',
    {
      schema: {
        tags,
        summary: 'Set a KPI’s target (admins)',
        params: KpiParams,
        body: KpiTargetInput,
        response: { 200: KpiInfo, ...errors },
      },
    },
    async (req) => setTarget(ctx, actorOf(req), kpiKey(req.params.key), req.body.target),
  );
  dashboardRoutes(app, ctx);
}

function dashboardRoutes(app: App, ctx: Ctx): void {
  app.get(
    '/api/v1/dashboards',
    {
      schema: {
        tags,
        summary: 'The default dashboards, mine and the shared ones',
        response: { 200: DashboardList, ...errors },
      },
    },
    async (req) => ({ items: await listDashboards(ctx, actorOf(req)) }),
  );
  app.post(
    '/api/v1/dashboards',
    {
      schema: {
        tags,
        summary: 'Save a dashboard (shared: managers and admins)',
        body: DashboardInput,
        response: { 201: Dashboard, ...errors },
      },
    },
    async (req, reply) => {
      const d = await createDashboard(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(d.version)).send(d);
    },
  );
  app.get(
    '/api/v1/dashboards/:id',
    {
      schema: {
        tags,
        summary: 'A dashboard: a default (preset-…), mine or a shared one',
        params: DashboardParams,
        response: { 200: Dashboard, ...errors },
      },
    },
    async (req, reply) => {
      const d = await getDashboard(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(d.version)).send(d);
    },
  );
  app.put(
    '/api/v1/dashboards/:id',
    {
      schema: {
        tags,
        summary: 'Change one of my dashboards (If-Match required)',
        params: DashboardParams,
        headers: IfMatch,
        body: DashboardInput,
        response: { 200: Dashboard, ...errors, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const d = await updateDashboard(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(d.version)).send(d);
    },
  );
  app.delete(
    '/api/v1/dashboards/:id',
    {
      schema: {
        tags,
        summary: 'Delete one of my dashboards',
        params: DashboardParams,
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    },
    async (req, reply) => {
      await deleteDashboard(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
