import { CreateDrPlan, DrPlan, DrPlanQuery, IdParams, UpdateDrPlan } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import { exportName, planMarkdown, planPdf } from './plans.export.js';
import { plansService } from './plans.service.js';

/**
 * Disaster-recovery plans: list, create, get, update (If-Match), delete, and the export as Markdown or PDF;
 * IT reads them, managers and admins edit them.
 */
export function plansRoutes(app: App, ctx: Ctx): void {
  const tags = ['disaster recovery'];
  const plans = plansService(ctx);
  resourceRoutes(app, {
    path: '/api/v1/dr/plans',
    tags,
    noun: 'disaster-recovery plan',
    item: DrPlan,
    create: CreateDrPlan,
    update: UpdateDrPlan,
    service: plans,
    page: { query: DrPlanQuery, list: (actor, q: DrPlanQuery) => plans.page(actor, q) },
  });
  app.get(
    '/api/v1/dr/plans/:id/export.md',
    {
      schema: {
        tags,
        summary: 'A plan as Markdown',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const p = await plans.get(actorOf(req), req.params.id);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${exportName(p, 'md')}"`)
        .send(planMarkdown(p));
    },
  );
  app.get(
    '/api/v1/dr/plans/:id/export.pdf',
    {
      schema: {
        tags,
        summary: 'A plan as PDF',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const p = await plans.get(actorOf(req), req.params.id);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `attachment; filename="${exportName(p, 'pdf')}"`)
        .send(planPdf(p));
    },
  );
}
