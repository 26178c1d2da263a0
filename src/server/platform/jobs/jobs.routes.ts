import { IdParams, Job, JobPage, JobQuery, JobScheduleList, Problem } from '../../../contracts/index.js';
import { actorOf, type App } from '../http.js';
import type { Ctx } from '../context.js';
import { discardJob, getJob, listJobs, listSchedules, retryJob } from './admin.service.js';

/** /api/v1/admin/jobs: the job queue for admins (list, inspect, retry, discard) and the cron schedules. */
export function jobsRoutes(app: App, { ctx }: { ctx: Ctx }): void {
  const tags = ['jobs'];
  app.get(
    '/api/v1/admin/jobs',
    {
      schema: {
        tags,
        summary: 'List background jobs',
        querystring: JobQuery,
        response: { 200: JobPage, 400: Problem },
      },
    },
    async (req) => listJobs(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/admin/jobs/schedules',
    { schema: { tags, summary: 'List cron schedules', response: { 200: JobScheduleList } } },
    async (req) => listSchedules(ctx, actorOf(req)),
  );
  app.get(
    '/api/v1/admin/jobs/:id',
    { schema: { tags, summary: 'Get a job', params: IdParams, response: { 200: Job, 404: Problem } } },
    async (req) => getJob(ctx, actorOf(req), req.params.id),
  );
  for (const [verb, summary, handler] of [
    ['retry', 'Retry a failed or discarded job', retryJob],
    ['discard', 'Discard a pending or failed job', discardJob],
  ] as const) {
    app.post(
      `/api/v1/admin/jobs/:id/${verb}`,
      { schema: { tags, summary, params: IdParams, response: { 200: Job, 404: Problem, 409: Problem } } },
      async (req) => handler(ctx, actorOf(req), req.params.id),
    );
  }
}
