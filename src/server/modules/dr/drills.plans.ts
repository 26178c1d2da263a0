/**
 * What drills need of disaster-recovery plans (plans.*.ts, this module's): a plan as the caller may see it, with
 * its devices in recovery order (plans.scope.ts) and its runbook, and marking a plan verified by a drill that
 * passed (plans.verify.ts).
 */
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import type { ScopeFingerprint } from './plans.repository.js';
import { recoveryOrder } from './plans.scope.js';
import { plansService } from './plans.service.js';
import { markVerified } from './plans.verify.js';

/** A plan as a drill runs it. */
export interface DrillPlan {
  id: string;
  name: string;
  serviceId: string;
  serviceName: string;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The plan's version and scope as read when the drill starts (a change during the drill is not verified). */
  version: number;
  scope: ScopeFingerprint;
  /** The computers to restore, in recovery order (what an item needs comes before it). */
  devices: { ciId: string; name: string }[];
  /** The runbook's steps, ticked off by people during the drill. */
  runbook: { title: string }[];
}

/** What a passed drill tells its plan. */
export interface DrillVerification {
  planId: string;
  drillId: string;
  at: Date;
  planVersion: number;
  scope: ScopeFingerprint;
}

/** The plans side of drills. */
export interface DrillPlans {
  /** The plan, when `actor` may see it (NotFound otherwise). */
  load(ctx: Ctx, actor: Actor, planId: string): Promise<DrillPlan>;
  /** Throws unless `actor` may read plans (and drills of plans since deleted). */
  canRead(actor: Actor): void;
  /** Throws unless `actor` may run drills (and tick their steps). */
  canRun(actor: Actor): void;
  /** Marks the plan verified by a passed drill (inside the caller's transaction). */
  verified(db: Db, actor: Actor, v: DrillVerification): Promise<void>;
}

/** Drills' view of this server's plans. IT reads plans and drills; who keeps plans runs their drills. */
export function drillPlans(ctx: Ctx): DrillPlans {
  const plans = plansService(ctx);
  return {
    async load(c, actor, planId) {
      const plan = await plans.get(actor, planId);
      const order = await recoveryOrder(c, planId);
      if (!order) throw NotFound('disaster-recovery plan');
      return {
        id: plan.id,
        name: plan.name,
        serviceId: plan.service.id,
        serviceName: plan.service.name,
        rtoMinutes: plan.rtoMinutes,
        rpoMinutes: plan.rpoMinutes,
        version: order.planVersion,
        scope: order.scope,
        devices: order.devices.map((d) => ({ ciId: d.ciId, name: d.name })),
        runbook: plan.steps.map((s) => ({ title: s.title })),
      };
    },
    canRead: (actor) => can(actor, 'dr:read'),
    canRun: (actor) => can(actor, 'dr:write'),
    verified: async (db, actor, v) =>
      void (await markVerified(db, actor, v.planId, {
        drillId: v.drillId,
        at: v.at,
        planVersion: v.planVersion,
        scope: v.scope,
      })),
  };
}
