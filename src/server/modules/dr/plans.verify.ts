/** A successful drill verifies a plan: "needs verification" is cleared until the next change. */
import { record } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import * as repo from './plans.repository.js';
import type { ScopeFingerprint } from './plans.repository.js';

/** What a drill tells the plan it verified. */
export interface Verification {
  drillId: string;
  /** When the drill succeeded. */
  at: Date;
  /** The plan's version the drill ran (recoveryOrder's `planVersion`): a change since keeps the flag. */
  planVersion: number;
  /** The scope the drill restored (recoveryOrder's `scope`): CMDB changes after it are found on reading. */
  scope: ScopeFingerprint;
}

/**
 * Records that drill `v.drillId` succeeded for plan `planId`, in the caller's transaction `db` (with the drill's
 * own result), audited as `actor`'s. Clears "needs verification" unless the plan was changed after the drill
 * read it. Returns whether it was cleared; 404 when there is no such plan. Checks no permission: drills do.
 */
export async function markVerified(db: Db, actor: Actor, planId: string, v: Verification): Promise<boolean> {
  const done = await repo.markVerified(db, planId, v);
  if (!done) throw NotFound('disaster-recovery plan');
  await record(db, actor, 'dr_plan.verified', { type: 'dr_plan', id: planId }, null, {
    drill: v.drillId,
    at: v.at.toISOString(),
    planVersion: v.planVersion,
    cleared: done.cleared,
  });
  return done.cleared;
}
