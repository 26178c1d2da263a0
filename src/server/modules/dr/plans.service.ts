/**
 * Disaster-recovery plans per business service: targets, runbook steps, contacts, a person's order for cycles
 * and the review date. Every change marks the plan as needing verification (until a drill verifies it).
 */
import { CreateDrPlan, type DrPlan, type DrPlanQuery, type UpdateDrPlan } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import { serviceScope } from '../cmdb/index.js';
import { userNames } from '../users/index.js';
import * as repo from './plans.repository.js';
import { viewsOf } from './plans.view.js';

type Input = ReturnType<typeof CreateDrPlan.parse>;

/** The stored plan as the input it came from (to apply a partial update on, and for the audit trail). */
async function inputOf(db: Db, p: repo.PlanRow): Promise<Input> {
  const [steps, contacts, orders] = await Promise.all([
    repo.stepsOf(db, [p.id]),
    repo.contactsOf(db, [p.id]),
    repo.ordersOf(db, [p.id]),
  ]);
  return {
    serviceId: p.service_id,
    name: p.name,
    summary: p.summary,
    rtoMinutes: p.rto_minutes,
    rpoMinutes: p.rpo_minutes,
    ownerId: p.owner_id,
    reviewDue: p.review_day,
    steps: steps.map((s) => ({
      title: s.title,
      body: s.body,
      ownerId: s.owner_id,
      expectedMinutes: s.expected_minutes,
      items: s.items,
    })),
    contacts: contacts.map((c) => ({
      name: c.name,
      role: c.role,
      phone: c.phone,
      email: c.email,
      userId: c.user_id,
    })),
    manualOrder: orders.get(p.id) ?? [],
  };
}

/**
 * Checks what the input refers to, in the writing transaction: the service is a business service, people are
 * users, and the items steps restore or a person ordered are in the service's scope. 400 naming the field.
 */
async function check(db: Db, input: Input): Promise<void> {
  const scope = await serviceScope(db, input.serviceId);
  if (!scope)
    throw Invalid('the service is not a business service in the CMDB', [
      { path: 'serviceId', message: 'not a business service' },
    ]);
  const named: [string, string | null][] = [
    ['ownerId', input.ownerId],
    ...input.steps.map((s, i): [string, string | null] => [`steps.${i}.ownerId`, s.ownerId]),
    ...input.contacts.map((c, i): [string, string | null] => [`contacts.${i}.userId`, c.userId]),
  ];
  const people = named.filter((p): p is [string, string] => p[1] !== null);
  const known = await userNames(
    db,
    people.map((p) => p[1]),
  );
  const unknown = people.filter((p) => !known.get(p[1])?.active);
  if (unknown.length)
    throw Invalid(
      'a person named is not an active user',
      unknown.map((p) => ({ path: p[0], message: 'not an active user' })),
    );
  const inScope = new Set(scope.items.map((i) => i.id));
  const outside = [
    ...input.steps.flatMap((s, i) => s.items.map((ci, j) => [`steps.${i}.items.${j}`, ci] as const)),
    ...input.manualOrder.map((ci, i) => [`manualOrder.${i}`, ci] as const),
  ].filter((x) => !inScope.has(x[1]));
  if (outside.length)
    throw Invalid(
      `an item named is not in the scope of ${scope.service.name} (what it depends on in the CMDB)`,
      outside.map((x) => ({ path: x[0], message: 'not in the plan’s scope' })),
    );
  if (new Set(input.manualOrder).size !== input.manualOrder.length)
    throw Invalid('an item is ordered twice', [{ path: 'manualOrder', message: 'an item appears twice' }]);
}

const valuesOf = (i: Input): repo.PlanValues => ({
  service_id: i.serviceId,
  name: i.name,
  summary: i.summary,
  rto_minutes: i.rtoMinutes,
  rpo_minutes: i.rpoMinutes,
  owner_id: i.ownerId,
  review_due: i.reviewDue,
});

async function writeParts(db: Db, id: string, i: Input): Promise<void> {
  await repo.replaceSteps(
    db,
    id,
    i.steps.map((s) => ({
      title: s.title,
      body: s.body,
      owner_id: s.ownerId,
      expected_minutes: s.expectedMinutes,
      items: s.items,
    })),
  );
  await repo.replaceContacts(
    db,
    id,
    i.contacts.map((c) => ({
      name: c.name,
      role: c.role,
      phone: c.phone,
      email: c.email,
      user_id: c.userId,
    })),
  );
  await repo.replaceOrder(db, id, i.manualOrder);
}

/** 409 for a unique violation: a plan with that name, or one for that service, exists already. */
function taken(e: unknown, input: { name?: string }): never {
  if (!isUniqueViolation(e)) throw e;
  const detail = (e as { constraint?: string }).constraint ?? String((e as Error).message);
  if (detail.includes('name'))
    throw Conflict(`a plan named “${input.name ?? ''}” exists already`, 'name_taken', [
      { path: 'name', message: 'taken' },
    ]);
  throw Conflict('this service has a plan already', 'plan_exists', [
    { path: 'serviceId', message: 'has a plan already' },
  ]);
}

/** Who changed the plan, as people know them (for "needs verification" reasons). */
async function byWhom(db: Db, actor: Actor): Promise<string> {
  const u = actor.userId ? (await userNames(db, [actor.userId])).get(actor.userId) : undefined;
  return u?.name ?? actor.label;
}

/** The plans service, for the routes. */
export function plansService(ctx: Ctx) {
  const get = async (actor: Actor, id: string): Promise<DrPlan> => {
    can(actor, 'dr:read');
    const p = await repo.findPlan(ctx.db, id);
    if (!p) throw NotFound('disaster-recovery plan');
    return (await viewsOf(ctx, [p]))[0]!;
  };
  return {
    get,
    /** A page of plans by name (or the one with `name`), a keyset cursor for the next. */
    async page(actor: Actor, q: DrPlanQuery): Promise<{ items: DrPlan[]; nextCursor: string | null }> {
      can(actor, 'dr:read');
      const after = decodeCursor(q.cursor, BY_NAME);
      const rows = await repo.pagePlans(ctx.db, {
        after: after && { name: after[0], id: after[1] },
        limit: q.limit + 1,
        name: q.name,
      });
      const page = pageFrom(
        rows,
        q.limit,
        (r) => r,
        (r) => [r.name_key, r.id],
      );
      return { items: await viewsOf(ctx, page.items), nextCursor: page.nextCursor };
    },
    async create(actor: Actor, raw: CreateDrPlan): Promise<DrPlan> {
      can(actor, 'dr:write');
      const input = CreateDrPlan.parse(raw);
      let id: string;
      try {
        id = await ctx.tx(async (db) => {
          await check(db, input);
          const who = await byWhom(db, actor);
          const id = await repo.insertPlan(
            db,
            valuesOf(input),
            `New plan by ${who}: no drill has run it yet.`,
          );
          await writeParts(db, id, input);
          await record(db, actor, 'dr_plan.created', { type: 'dr_plan', id }, null, { ...input });
          return id;
        });
      } catch (e) {
        taken(e, input);
      }
      return get(actor, id);
    },
    async update(actor: Actor, id: string, version: number, patch: UpdateDrPlan): Promise<DrPlan> {
      can(actor, 'dr:write');
      try {
        await ctx.tx(async (db) => {
          const cur = await repo.findPlan(db, id, true);
          if (!cur) throw NotFound('disaster-recovery plan');
          if (cur.version !== version) throw Stale();
          const before = await inputOf(db, cur);
          const next = CreateDrPlan.parse({ ...before, ...patch });
          if (JSON.stringify(next) === JSON.stringify(before)) return;
          await check(db, next);
          const who = await byWhom(db, actor);
          const reason = `The plan was changed by ${who} since the last drill.`;
          if (!(await repo.updatePlan(db, id, version, valuesOf(next), reason))) throw Stale();
          await writeParts(db, id, next);
          await record(db, actor, 'dr_plan.updated', { type: 'dr_plan', id }, { ...before }, { ...next });
        });
      } catch (e) {
        taken(e, patch);
      }
      return get(actor, id);
    },
    async remove(actor: Actor, id: string): Promise<void> {
      can(actor, 'dr:write');
      await ctx.tx(async (db) => {
        const cur = await repo.findPlan(db, id, true);
        if (!cur) throw NotFound('disaster-recovery plan');
        const before = await inputOf(db, cur);
        await repo.deletePlan(db, id);
        await record(db, actor, 'dr_plan.deleted', { type: 'dr_plan', id }, { ...before }, null);
      });
    },
  };
}
