/**
 * A plan’s scope as of now: what its service needs in the CMDB, in recovery order, with each computer's last
 * good snapshot; and what follows from it: whether the plan is ready, and whether the scope changed since the
 * last drill verified it.
 */
import type { Ctx } from '../../platform/context.js';
import { lastGoodSnapshots } from '../backup/index.js';
import { type ScopeItem, type ServiceScope, serviceScopes } from '../cmdb/index.js';
import { recoveryOrderOf, type RecoveryOrder } from './plans.order.js';
import * as repo from './plans.repository.js';
import type { ScopeFingerprint } from './plans.repository.js';

/** A device's last good snapshot. */
export interface Snapshot {
  at: Date;
  snapshotId: string | null;
}

/** A plan’s scope now. `scope` is undefined when its service is no longer an item of a service class. */
export interface PlanScope {
  scope: ServiceScope | undefined;
  order: RecoveryOrder;
  snapshots: Map<string, Snapshot>;
  fingerprint: ScopeFingerprint;
}

/** Whether an item is a device (a computer: what drills restore from snapshots). */
export const isDevice = (i: ScopeItem) => i.kind === 'computer';

/** The fingerprint of a scope: each item's version, and the relationships walked (sorted). */
export function fingerprintOf(scope: ServiceScope | undefined): ScopeFingerprint {
  const items: Record<string, number> = {};
  for (const i of scope?.items ?? []) items[i.id] = i.version;
  return { items, relationships: (scope?.edges ?? []).map((e) => e.id).sort() };
}

/**
 * Reads the scope of the plan for `serviceId` with `manual` (a person's order for cycles). Outside any
 * transaction: it asks the CMDB and the backups module on `ctx` (PGlite has one connection).
 */
export async function readScope(ctx: Ctx, serviceId: string, manual: readonly string[]): Promise<PlanScope> {
  return (await readScopes(ctx, [{ serviceId, manual }]))[0]!;
}

/**
 * {@link readScope} for several plans at once, in their order: one walk of the CMDB for all their services and
 * one look at the backups for all their computers (three queries, however many plans).
 */
export async function readScopes(
  ctx: Ctx,
  plans: readonly { serviceId: string; manual: readonly string[] }[],
): Promise<PlanScope[]> {
  const scopes = await serviceScopes(ctx.db, [...new Set(plans.map((p) => p.serviceId))]);
  const devices = new Set([...scopes.values()].flatMap((s) => s.items.filter(isDevice).map((i) => i.id)));
  const all = await lastGoodSnapshots(ctx, [...devices]);
  return plans.map(({ serviceId, manual }) => {
    const scope = scopes.get(serviceId);
    const positions = new Map(manual.map((id, i) => [id, i + 1]));
    const order = recoveryOrderOf(scope?.items ?? [], scope?.edges ?? [], positions);
    const snapshots = new Map<string, Snapshot>();
    for (const i of (scope?.items ?? []).filter(isDevice)) {
      const snap = all.get(i.id);
      if (snap) snapshots.set(i.id, snap);
    }
    return { scope, order, snapshots, fingerprint: fingerprintOf(scope) };
  });
}

const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;

/** A number of minutes as people say it: "45 minutes", "4 hours", "2 days 3 hours". */
export function minutesText(m: number): string {
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (m < 60) return unit(m, 'minute');
  if (m < 1440) {
    const h = Math.floor(m / 60);
    return m % 60 ? `${unit(h, 'hour')} ${unit(m % 60, 'minute')}` : unit(h, 'hour');
  }
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? `${unit(d, 'day')} ${unit(h, 'hour')}` : unit(d, 'day');
}

/** What changed in the CMDB between the scope a drill verified and the scope now, in plain words. */
export function scopeChanges(
  verified: ScopeFingerprint | null,
  now: ScopeFingerprint,
  scope: ServiceScope | undefined,
): string[] {
  if (!verified) return [];
  const name = new Map((scope?.items ?? []).map((i) => [i.id, i.name]));
  const changed: string[] = [];
  const added: string[] = [];
  for (const [id, version] of Object.entries(now.items)) {
    const was = verified.items[id];
    if (was === undefined) added.push(name.get(id) ?? id);
    else if (was !== version) changed.push(name.get(id) ?? id);
  }
  const removed = Object.keys(verified.items).filter((id) => !(id in now.items)).length;
  const reasons: string[] = [];
  if (changed.length) reasons.push(`${list(changed)} changed in the CMDB since the last drill.`);
  if (added.length) reasons.push(`${list(added)} joined the plan’s scope since the last drill.`);
  if (removed)
    reasons.push(
      `${removed === 1 ? 'An item' : `${removed} items`} left the plan’s scope since the last drill.`,
    );
  const was = new Set(verified.relationships);
  const rels =
    now.relationships.filter((r) => !was.has(r)).length +
    verified.relationships.filter((r) => !now.relationships.includes(r)).length;
  if (rels && !added.length && !removed)
    reasons.push('A relationship between items in scope was added or removed since the last drill.');
  return reasons;
}

/** Whether a device's snapshot is recent enough for the plan's RPO at `now`. */
export const withinRpo = (s: Snapshot | undefined, rpoMinutes: number, now: number) =>
  s !== undefined && now - s.at.getTime() <= rpoMinutes * 60_000;

/**
 * Why the plan is not ready, in plain words (none: ready): every computer in scope needs a snapshot within the
 * RPO, every step an owner, every cycle a person's order; and the plan needs a service and steps.
 */
export function readinessReasons(
  plan: Pick<repo.PlanRow, 'rpo_minutes'>,
  s: PlanScope,
  steps: readonly Pick<repo.StepRow, 'position' | 'title' | 'owner_id'>[],
  now: number,
): string[] {
  const reasons: string[] = [];
  if (!s.scope) reasons.push('The service is no longer a business service in the CMDB.');
  for (const o of s.order.order) {
    if (!isDevice(o.item)) continue;
    const snap = s.snapshots.get(o.item.id);
    if (!snap) reasons.push(`${o.item.name} has no backup snapshot.`);
    else if (!withinRpo(snap, plan.rpo_minutes, now))
      reasons.push(
        `${o.item.name}’s last snapshot is ${minutesText(Math.floor((now - snap.at.getTime()) / 60_000))} old, beyond the RPO of ${minutesText(plan.rpo_minutes)}.`,
      );
  }
  if (steps.length === 0) reasons.push('The plan has no runbook steps.');
  for (const st of steps) if (!st.owner_id) reasons.push(`Step ${st.position} “${st.title}” has no owner.`);
  s.order.cycles.forEach((c, n) => {
    if (!c.ordered)
      reasons.push(
        `${list(c.items.map((i) => i.name))} need each other (cycle ${n + 1}): a person must choose their order.`,
      );
  });
  return reasons;
}

/** An item of a plan’s scope in recovery order, for drills. */
export interface RecoveryItem {
  ciId: string;
  name: string;
  kind: string;
  className: string;
  position: number;
  wave: number;
  /** The number (1-based) of the cycle it is part of, or null. */
  cycle: number | null;
  device: boolean;
  lastSnapshot: Snapshot | null;
}

/** A plan's items in recovery order, its cycles, and the scope's fingerprint (for {@link markVerified}). */
export interface PlanRecovery {
  planId: string;
  planName: string;
  /** The plan's version as read: pass it to markVerified, so that a change during the drill is not cleared. */
  planVersion: number;
  serviceId: string;
  rpoMinutes: number;
  items: RecoveryItem[];
  /** The devices (computers) among `items`, in recovery order. */
  devices: RecoveryItem[];
  cycles: { number: number; items: { ciId: string; name: string }[]; ordered: boolean }[];
  scope: ScopeFingerprint;
}

/**
 * The items in scope of plan `planId` in recovery order, with cycles reported; undefined when there is no such
 * plan. Checks no permission: the caller (drills) does.
 */
export async function recoveryOrder(ctx: Ctx, planId: string): Promise<PlanRecovery | undefined> {
  const plan = await repo.findPlan(ctx.db, planId);
  if (!plan) return undefined;
  const manual = (await repo.ordersOf(ctx.db, [planId])).get(planId) ?? [];
  const s = await readScope(ctx, plan.service_id, manual);
  const items = s.order.order.map((o): RecoveryItem => ({
    ciId: o.item.id,
    name: o.item.name,
    kind: o.item.kind,
    className: o.item.className,
    position: o.position,
    wave: o.wave,
    cycle: o.cycle === null ? null : o.cycle + 1,
    device: isDevice(o.item),
    lastSnapshot: s.snapshots.get(o.item.id) ?? null,
  }));
  return {
    planId,
    planName: plan.name,
    planVersion: plan.version,
    serviceId: plan.service_id,
    rpoMinutes: plan.rpo_minutes,
    items,
    devices: items.filter((i) => i.device),
    cycles: s.order.cycles.map((c, n) => ({
      number: n + 1,
      items: c.items.map((i) => ({ ciId: i.id, name: i.name })),
      ordered: c.ordered,
    })),
    scope: s.fingerprint,
  };
}
