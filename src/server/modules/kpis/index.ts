/**
 * KPIs and dashboards (issue 28): KPIs computed from Steward's own data per team, business service and period,
 * each with a target, a trend and the exact list it counts; dashboards of cards, personal or shared, with
 * defaults per role. Ticket KPIs read facts and daily aggregates this module keeps exact (facts.repository.ts);
 * the `kpis.catch_up` job takes what the triggers marked. Scheduled reports (reports.*.ts) mail a dashboard's or
 * a list of KPIs as PDF and CSV to people and teams weekly or monthly.
 */
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { cronSchedule, joinJobs, type JobSet, jobType } from '../../platform/jobs/index.js';
import { kpisRoutes } from './kpis.routes.js';
import { catchUp } from './kpis.service.js';
import { reportsRoutes } from './reports.routes.js';
import { reportJobs } from './reports.send.js';

/** The job that brings the ticket facts and aggregates up to date. */
export const KPI_CATCH_UP_JOB = 'kpis.catch_up';

/** The KPIs module: its routes and its catch-up job, for main.ts to wire. */
export function createKpisModule(deps: { ctx: Ctx }): { routes(app: App): void; jobs: JobSet } {
  return {
    routes: (app) => {
      kpisRoutes(app, deps.ctx);
      reportsRoutes(app, deps.ctx);
    },
    jobs: joinJobs(reportJobs(), {
      types: [
        jobType(KPI_CATCH_UP_JOB, {
          schema: z.object({}).loose(),
          // Until nothing is left: a big import marks many tickets at once.
          handler: async (ctx) => {
            while ((await catchUp(ctx, 50)) > 0);
          },
          maxAttempts: 3,
        }),
      ],
      schedules: [cronSchedule(KPI_CATCH_UP_JOB, '* * * * *', { timezone: 'UTC' })],
    }),
  };
}

export { catchUp } from './kpis.service.js';
export { dailyFromScratch, dailyStored, rebuildAll } from './facts.repository.js';
export { fireDue as fireDueReports, sendRun as sendReportRun } from './reports.send.js';
