/**
 * The service catalogue (issue 27): items people request (a typed form with conditional fields, who may
 * request, an SLA policy), approval levels (the requester's manager; teams under the shared approval rules),
 * fulfilment tasks for teams in order, and the request's ticket that follows them.
 */
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { catalogueRoutes } from './catalogue.routes.js';
import { itemsService } from './items.service.js';
import { requestsService } from './requests.service.js';

export { checkAnswers } from './form.js';

/** What the catalogue module needs from the composition root. */
export interface CatalogueModuleDeps {
  ctx: Ctx;
}

/** The catalogue module: its routes. */
export function createCatalogueModule(deps: CatalogueModuleDeps): { routes(app: App): void } {
  const items = itemsService(deps.ctx);
  const requests = requestsService(deps.ctx);
  return { routes: (app) => catalogueRoutes(app, deps.ctx, items, requests) };
}
