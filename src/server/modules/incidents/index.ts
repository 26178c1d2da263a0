/**
 * Security incidents (issue 26, item 4): tickets flagged `security`, seen only by admins and the security
 * teams (the tickets module's visibility rule), with an append-only, hash-chained evidence log and a timeline
 * export as JSON or CSV.
 */
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { incidentsRoutes } from './incidents.routes.js';

/** The security incidents module: its routes, for main.ts to wire. */
export function createIncidentsModule(deps: { ctx: Ctx }): { routes(app: App): void } {
  return { routes: (app) => incidentsRoutes(app, deps.ctx) };
}
