/**
 * Change management (issue 25): standard, normal and emergency changes along an explicit state machine, risk
 * from a questionnaire and what Steward knows (CMDB impact, incidents, other changes, blackouts, backups),
 * approvals by teams in levels, maintenance windows and blackouts with conflict detection on every save, tasks,
 * the review, and links to tickets.
 */
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import type { RestorePoints } from '../backup/index.js';
import { changesRoutes } from './changes.routes.js';
import type { ChangeHook } from './hooks.js';

/** What the changes module needs from the composition root. */
export interface ChangesModuleDeps {
  ctx: Ctx;
  /** The backups module's restore points: snapshots before implementing, restores when backing out. */
  restorePoints: RestorePoints;
  /** Steward's address as people reach it (the approval e-mails' links). */
  publicUrl: string;
  /** Called inside each edit or move of a change (knowledge flags the articles that depend on it). */
  changed?: ChangeHook;
}

/** The changes module: its routes (no jobs yet). */
export function createChangesModule(deps: ChangesModuleDeps) {
  return {
    routes(app: App): void {
      changesRoutes(app, deps.ctx, {
        rp: deps.restorePoints,
        publicUrl: deps.publicUrl,
        changed: deps.changed,
      });
    },
  };
}

export { conflictsOf, changeKey } from './conflicts.js';
export { assessRisk, levelOf } from './risk.js';
export { changeNames } from './changes.repository.js';
export type { ChangeHook } from './hooks.js';
export { changeOutcomes, type ChangeOutcome } from './kpi-source.js';
export { carriedOutSince } from './changes.repository.js';
