/**
 * Access reviews (issue 26, item 3): campaigns in which the owners of each holding (team leads for team
 * memberships, admins for roles, a credential's managers for who may reveal it) confirm or revoke it; daily
 * reminders; revocations applied by the owning modules and audited; a closed campaign kept as evidence.
 */
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import type { JobSet } from '../../platform/jobs/index.js';
import { reviewJobs } from './reviews.reminders.js';
import { reviewsRoutes } from './reviews.routes.js';

export { REVIEW_REMINDER_JOB, sendReviewReminders } from './reviews.reminders.js';
export { reviewOutcomesSince } from './reviews.repository.js';

/** The access reviews module: its routes and its reminder job, for main.ts to wire. */
export function createReviewsModule(deps: { ctx: Ctx }): { routes(app: App): void; jobs: JobSet } {
  return { routes: (app) => reviewsRoutes(app, deps.ctx), jobs: reviewJobs() };
}
