/**
 * The knowledge base (issue 27) under document control: how-tos, known errors, policies, procedures and
 * runbooks in Markdown for an audience; draft → in review → approved → published → retired with approvers per
 * kind; every version kept with a diff between any two; full-text search of what the caller may read; policy
 * acknowledgement campaigns; daily reminders of review dates and of acknowledgements not given.
 */
import type { ArticleSummary } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import type { JobSet } from '../../platform/jobs/index.js';
import type { Actor } from '../../platform/permissions.js';
import { knowledgeJobs } from './ack.service.js';
import { flowRoutes } from './flow.routes.js';
import { imageRoutes } from './images.routes.js';
import { knowledgeRoutes } from './knowledge.routes.js';
import { type LinkedChange, linkedChanged } from './targets.service.js';
import { knowledgeService } from './knowledge.service.js';

export { KB_REMINDER_JOB, sendAcknowledgementReminders, sendReviewReminders } from './ack.service.js';
export { lineDiff } from './diff.js';

/** What the knowledge module needs from the composition root. */
export interface KnowledgeModuleDeps {
  ctx: Ctx;
  /** Where uploaded images are spooled before they are stored. */
  uploadDir: string;
}

/** The knowledge module: routes, jobs (reminders), and the search other modules ask (the global search box). */
export function createKnowledgeModule(deps: KnowledgeModuleDeps): {
  routes(app: App): Promise<void>;
  jobs: JobSet;
  search: (actor: Actor, q: string, limit: number) => Promise<ArticleSummary[]>;
  /** The hook the CMDB and changes modules call inside their writes: linked articles are flagged for review. */
  linkedChanged: (
    type: LinkedChange['type'],
  ) => (db: Db, actor: Actor, id: string, what: string) => Promise<void>;
} {
  const service = knowledgeService(deps.ctx);
  return {
    routes: async (app) => {
      knowledgeRoutes(app, deps.ctx, service);
      flowRoutes(app, deps.ctx, service);
      await imageRoutes(app, deps.ctx, deps.uploadDir);
    },
    linkedChanged: (type) => (db, actor, id, what) => linkedChanged(deps.ctx, db, actor, { type, id, what }),
    jobs: knowledgeJobs(),
    /** The best published, still valid articles the actor may read for `q`. */
    search: async (actor, q, limit) => (await service.list(actor, { q, limit, scope: 'published' })).items,
  };
}
