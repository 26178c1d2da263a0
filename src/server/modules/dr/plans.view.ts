/** A disaster-recovery plan as the API shows it: stored facts, and what is derived now (order, readiness). */
import type { DrPlan } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { itemNames } from '../cmdb/index.js';
import { userNames } from '../users/index.js';
import * as repo from './plans.repository.js';
import {
  isDevice,
  type PlanScope,
  readinessReasons,
  readScopes,
  scopeChanges,
  withinRpo,
} from './plans.scope.js';

/** Today's date (UTC) as YYYY-MM-DD. */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** The items in scope in recovery order, with each computer's last snapshot against the plan's RPO. */
function orderView(s: PlanScope, rpoMinutes: number, now: number): DrPlan['order'] {
  const names = new Map((s.scope?.items ?? []).map((i) => [i.id, i.name]));
  return s.order.order.map((o) => {
    const snap = s.snapshots.get(o.item.id);
    const device = isDevice(o.item);
    return {
      ciId: o.item.id,
      name: o.item.name,
      className: o.item.className,
      kind: o.item.kind,
      position: o.position,
      wave: o.wave,
      needs: o.needs.map((id) => names.get(id) ?? id),
      cycle: o.cycle === null ? null : o.cycle + 1,
      device,
      lastSnapshotAt: snap?.at.toISOString() ?? null,
      withinRpo: device ? withinRpo(snap, rpoMinutes, now) : null,
    };
  });
}

/** The plans' views, built with one query per kind of part. */
export async function viewsOf(ctx: Ctx, plans: readonly repo.PlanRow[]): Promise<DrPlan[]> {
  const ids = plans.map((p) => p.id);
  const [steps, contacts, orders] = await Promise.all([
    repo.stepsOf(ctx.db, ids),
    repo.contactsOf(ctx.db, ids),
    repo.ordersOf(ctx.db, ids),
  ]);
  const people = await userNames(ctx.db, [
    ...plans.flatMap((p) => (p.owner_id ? [p.owner_id] : [])),
    ...steps.flatMap((s) => (s.owner_id ? [s.owner_id] : [])),
    ...contacts.flatMap((c) => (c.user_id ? [c.user_id] : [])),
  ]);
  const items = await itemNames(ctx, [...plans.map((p) => p.service_id), ...steps.flatMap((s) => s.items)]);
  const person = (id: string | null) => {
    const u = id ? people.get(id) : undefined;
    return id && u ? { id, name: u.name } : null;
  };
  const now = Date.now();
  const out: DrPlan[] = [];
  const scopes = await readScopes(
    ctx,
    plans.map((p) => ({ serviceId: p.service_id, manual: orders.get(p.id) ?? [] })),
  );
  for (const [n, p] of plans.entries()) {
    const s = scopes[n]!;
    const mine = steps.filter((st) => st.plan_id === p.id);
    const drift = scopeChanges(p.verified_scope, s.fingerprint, s.scope);
    const reasons = [
      ...(p.needs_verification && p.verification_reason ? [p.verification_reason] : []),
      ...drift,
    ];
    const readiness = readinessReasons(p, s, mine, now);
    out.push({
      id: p.id,
      name: p.name,
      summary: p.summary,
      service: {
        id: p.service_id,
        name: s.scope?.service.name ?? items.get(p.service_id) ?? 'a deleted item',
      },
      rtoMinutes: p.rto_minutes,
      rpoMinutes: p.rpo_minutes,
      owner: person(p.owner_id),
      reviewDue: p.review_day,
      reviewOverdue: p.review_day < today(),
      steps: mine.map((st) => ({
        id: st.id,
        position: st.position,
        title: st.title,
        body: st.body,
        owner: person(st.owner_id),
        expectedMinutes: st.expected_minutes,
        items: st.items.map((id) => ({ id, name: items.get(id) ?? 'a deleted item' })),
      })),
      contacts: contacts
        .filter((c) => c.plan_id === p.id)
        .map((c) => ({
          name: c.name,
          role: c.role,
          phone: c.phone,
          email: c.email,
          user: person(c.user_id),
        })),
      manualOrder: orders.get(p.id) ?? [],
      order: orderView(s, p.rpo_minutes, now),
      cycles: s.order.cycles.map((c, n) => ({
        number: n + 1,
        items: c.items.map((i) => ({ id: i.id, name: i.name })),
        ordered: c.ordered,
      })),
      readiness: { ready: readiness.length === 0, reasons: readiness },
      verification: {
        needed: reasons.length > 0 || p.needs_verification,
        reasons,
        since: p.needs_verification ? (p.verification_since?.toISOString() ?? null) : null,
        lastVerifiedAt: p.last_verified_at?.toISOString() ?? null,
        lastDrillId: p.last_drill_id,
      },
      createdAt: p.created_at.toISOString(),
      updatedAt: p.updated_at.toISOString(),
      version: p.version,
    });
  }
  return out;
}
