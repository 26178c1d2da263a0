import {
  CreateSlaCalendar,
  CreateSlaPolicy,
  SlaCalendar,
  SlaPolicy,
  UpdateSlaCalendar,
  UpdateSlaPolicy,
} from '../../../contracts/index.js';
import type { App } from '../../platform/http.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import type { Deps } from '../deps.js';
import * as svc from './sla.service.js';

/** /api/v1/sla/calendars and /api/v1/sla/policies (agents read, admins edit). */
export function slaRoutes(app: App, { ctx }: Deps): void {
  resourceRoutes(app, {
    path: '/api/v1/sla/calendars',
    tags: ['sla'],
    noun: 'SLA calendar',
    item: SlaCalendar,
    create: CreateSlaCalendar,
    update: UpdateSlaCalendar,
    service: {
      list: (actor) => svc.listCalendars(ctx, actor),
      get: (actor, id) => svc.getCalendar(ctx, actor, id),
      create: (actor, input) => svc.createCalendar(ctx, actor, input),
      update: (actor, id, version, input) => svc.updateCalendar(ctx, actor, id, version, input),
      remove: (actor, id) => svc.deleteCalendar(ctx, actor, id),
    },
  });
  resourceRoutes(app, {
    path: '/api/v1/sla/policies',
    tags: ['sla'],
    noun: 'SLA policy',
    item: SlaPolicy,
    create: CreateSlaPolicy,
    update: UpdateSlaPolicy,
    service: {
      list: (actor) => svc.listPolicies(ctx, actor),
      get: (actor, id) => svc.getPolicy(ctx, actor, id),
      create: (actor, input) => svc.createPolicy(ctx, actor, input),
      update: (actor, id, version, input) => svc.updatePolicy(ctx, actor, id, version, input),
      remove: (actor, id) => svc.deletePolicy(ctx, actor, id),
    },
  });
}
