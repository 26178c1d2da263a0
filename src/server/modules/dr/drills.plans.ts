/**
 * What drills need of disaster-recovery plans: a plan as the caller may see it, with its devices in recovery
 * order and its runbook, and marking a plan verified by a drill that passed.
 */
import type { Ctx, Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';

/** A plan as a drill runs it. */
export interface DrillPlan {
  id: string;
  name: string;
  serviceId: string;
  serviceName: string;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The computers to restore, in recovery order (what an item needs comes before it). */
  devices: { ciId: string; name: string }[];
  /** The runbook's steps, ticked off by people during the drill. */
  runbook: { title: string }[];
}

/** The plans side of drills. */
export interface DrillPlans {
  /** The plan, when `actor` may see it (NotFound otherwise). */
  load(ctx: Ctx, actor: Actor, planId: string): Promise<DrillPlan>;
  /** Throws unless `actor` may run drills of plans. */
  canRun(actor: Actor): void;
  /** Marks the plan verified by drill `drillId` (inside the caller's transaction). */
  verified(db: Db, planId: string, drillId: string, at: Date): Promise<void>;
}

/** The plans side of drills, on this server's plans (TEMPORARY until the plans service lands). */
export function drillPlans(): DrillPlans {
  return {
    load: () => Promise.reject(new Error('plans are not available')),
    canRun: () => undefined,
    verified: () => Promise.resolve(),
  };
}
