import { CreateDrPlan, DrPlan, UpdateDrPlan } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import { plansService } from './plans.service.js';

/** Disaster-recovery plans: list, create, get, update (If-Match), delete; IT reads, managers and admins edit. */
export function plansRoutes(app: App, ctx: Ctx): void {
  const plans = plansService(ctx);
  resourceRoutes(app, {
    path: '/api/v1/dr/plans',
    tags: ['disaster recovery'],
    noun: 'disaster-recovery plan',
    item: DrPlan,
    create: CreateDrPlan,
    update: UpdateDrPlan,
    service: plans,
  });
}
