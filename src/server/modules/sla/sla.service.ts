import { z } from 'zod';
import type {
  CreateSlaCalendar,
  CreateSlaPolicy,
  EscalationAction,
  SlaCalendar,
  SlaClock,
  SlaPolicy,
  TicketSla,
  UpdateSlaCalendar,
  UpdateSlaPolicy,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { enqueue, type JobSet, jobType } from '../../platform/jobs/index.js';
import { can, type Actor } from '../../platform/permissions.js';
import { isTimeZone } from './business-time.js';
import type { ClockReading } from './clock.js';
import { policiesByType, readTickets, refreshSla } from './projection.js';
import * as repo from './sla.repository.js';

function calendarView(r: repo.CalendarRow): SlaCalendar {
  return {
    id: r.id,
    name: r.name,
    timezone: r.timezone,
    week: r.week,
    holidays: r.holidays,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

function policyView(r: repo.PolicyRow): SlaPolicy {
  return {
    id: r.id,
    name: r.name,
    ticketType: r.ticket_type,
    calendarId: r.calendar_id,
    targets: r.targets,
    pauseOn: r.pause_on,
    warnShare: Number(r.warn_share),
    warningActions: r.warning_actions as EscalationAction[],
    breachActions: r.breach_actions as EscalationAction[],
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

function requireZone(tz: string): void {
  if (!isTimeZone(tz)) {
    throw Invalid('unknown time zone', [{ path: 'body.timezone', message: 'not an IANA time zone' }]);
  }
}

/** A calendar must have some working time, or no clock could ever reach its target. */
function requireWorkingTime(week: readonly (readonly unknown[])[]): void {
  if (week.every((d) => d.length === 0)) {
    throw Invalid('a calendar needs working hours', [{ path: 'body.week', message: 'every day is empty' }]);
  }
}

const taken = (what: string, path: string) =>
  Conflict(`a ${what} with this name already exists`, 'name_taken', [{ path, message: 'already in use' }]);

/**
 * Queues a recompute of every live ticket's projection (of `types`, or all). One pending recompute per scope
 * is enough: a second change before it runs is covered by the same run, which reads the calendars then.
 */
async function queueRecompute(db: Db, types: readonly string[] | null): Promise<void> {
  const scope = types ? [...types].sort().join(',') : 'all';
  await enqueue(db, RECOMPUTE.name, { types }, { dedupeKey: scope, definition: RECOMPUTE });
}

/** Lists calendars. */
export async function listCalendars(ctx: Ctx, actor: Actor): Promise<SlaCalendar[]> {
  can(actor, 'sla:read');
  return (await repo.listCalendars(ctx.db)).map(calendarView);
}

/** One calendar. */
export async function getCalendar(ctx: Ctx, actor: Actor, id: string): Promise<SlaCalendar> {
  can(actor, 'sla:read');
  const r = await repo.findCalendar(ctx.db, id);
  if (!r) throw NotFound('calendar');
  return calendarView(r);
}

/** Creates a calendar (admins). */
export async function createCalendar(ctx: Ctx, actor: Actor, input: CreateSlaCalendar): Promise<SlaCalendar> {
  can(actor, 'sla:write');
  requireZone(input.timezone);
  requireWorkingTime(input.week);
  try {
    return await ctx.tx(async (db) => {
      const row = await repo.insertCalendar(db, input);
      const view = calendarView(row);
      await record(db, actor, 'sla.calendar_created', { type: 'sla_calendar', id: row.id }, null, {
        ...view,
      });
      return view;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken('calendar', 'body.name');
    throw e;
  }
}

/** Changes a calendar at `version`; every live ticket on a policy using it is recomputed (in a job). */
export async function updateCalendar(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateSlaCalendar,
): Promise<SlaCalendar> {
  can(actor, 'sla:write');
  if (input.timezone !== undefined) requireZone(input.timezone);
  if (input.week !== undefined) requireWorkingTime(input.week);
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findCalendar(db, id, true);
      if (!current) throw NotFound('calendar');
      const row = await repo.updateCalendar(db, id, version, {
        name: input.name ?? current.name,
        timezone: input.timezone ?? current.timezone,
        week: input.week ?? current.week,
        holidays: input.holidays ?? current.holidays,
      });
      if (!row) throw Stale();
      const [before, after] = [calendarView(current), calendarView(row)];
      await record(
        db,
        actor,
        'sla.calendar_updated',
        { type: 'sla_calendar', id },
        { ...before },
        { ...after },
      );
      if ((await repo.policiesUsing(db, id)).length > 0) await queueRecompute(db, null);
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken('calendar', 'body.name');
    throw e;
  }
}

/** Deletes a calendar no policy uses (409 naming the policies otherwise). */
export async function deleteCalendar(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'sla:write');
  await ctx.tx(async (db) => {
    const current = await repo.findCalendar(db, id, true);
    if (!current) throw NotFound('calendar');
    const users = await repo.policiesUsing(db, id);
    if (users.length > 0) {
      throw Conflict(`the calendar is used by: ${users.join(', ')}`, 'calendar_in_use');
    }
    await repo.deleteCalendar(db, id);
    await record(
      db,
      actor,
      'sla.calendar_deleted',
      { type: 'sla_calendar', id },
      { ...calendarView(current) },
      null,
    );
  });
}

/** Lists policies. */
export async function listPolicies(ctx: Ctx, actor: Actor): Promise<SlaPolicy[]> {
  can(actor, 'sla:read');
  return (await repo.listPolicies(ctx.db)).map(policyView);
}

/** One policy. */
export async function getPolicy(ctx: Ctx, actor: Actor, id: string): Promise<SlaPolicy> {
  can(actor, 'sla:read');
  const r = await repo.findPolicy(ctx.db, id);
  if (!r) throw NotFound('policy');
  return policyView(r);
}

async function requirePolicyRefs(db: Db, calendarId: string, actions: EscalationAction[][]): Promise<void> {
  if (!(await repo.findCalendar(db, calendarId))) {
    throw Invalid('unknown calendar', [{ path: 'body.calendarId', message: 'no such calendar' }]);
  }
  for (const list of actions) {
    for (const a of list) {
      if (a.kind === 'reassign' && !(await repo.teamExists(db, a.teamId))) {
        throw Invalid('unknown team in an escalation action', [
          { path: 'body.breachActions', message: `no such team: ${a.teamId}` },
        ]);
      }
    }
  }
}

const typeTaken = () =>
  Conflict('another enabled policy already covers this ticket type', 'type_taken', [
    { path: 'body.ticketType', message: 'one enabled policy per ticket type' },
  ]);

function uniqueError(e: unknown): unknown {
  if (!isUniqueViolation(e)) return e;
  const constraint = (e as { constraint?: string }).constraint ?? '';
  return constraint.includes('type') ? typeTaken() : taken('policy', 'body.name');
}

/** Creates a policy (admins); live tickets of its type are recomputed. */
export async function createPolicy(ctx: Ctx, actor: Actor, input: CreateSlaPolicy): Promise<SlaPolicy> {
  can(actor, 'sla:write');
  try {
    return await ctx.tx(async (db) => {
      await requirePolicyRefs(db, input.calendarId, [input.warningActions, input.breachActions]);
      const row = await repo.insertPolicy(db, input);
      const view = policyView(row);
      await record(db, actor, 'sla.policy_created', { type: 'sla_policy', id: row.id }, null, { ...view });
      await queueRecompute(db, [input.ticketType]);
      return view;
    });
  } catch (e) {
    throw uniqueError(e);
  }
}

/** Changes a policy at `version`; live tickets of its old and new type are recomputed. */
export async function updatePolicy(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateSlaPolicy,
): Promise<SlaPolicy> {
  can(actor, 'sla:write');
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findPolicy(db, id, true);
      if (!current) throw NotFound('policy');
      const before = policyView(current);
      const next = {
        name: input.name ?? before.name,
        ticketType: input.ticketType ?? before.ticketType,
        calendarId: input.calendarId ?? before.calendarId,
        targets: input.targets ?? before.targets,
        pauseOn: input.pauseOn ?? before.pauseOn,
        warnShare: input.warnShare ?? before.warnShare,
        warningActions: input.warningActions ?? before.warningActions,
        breachActions: input.breachActions ?? before.breachActions,
        enabled: input.enabled ?? before.enabled,
      };
      await requirePolicyRefs(db, next.calendarId, [next.warningActions, next.breachActions]);
      const row = await repo.updatePolicy(db, id, version, next);
      if (!row) throw Stale();
      const after = policyView(row);
      await record(db, actor, 'sla.policy_updated', { type: 'sla_policy', id }, { ...before }, { ...after });
      await queueRecompute(db, [...new Set([before.ticketType, after.ticketType])]);
      return after;
    });
  } catch (e) {
    throw uniqueError(e);
  }
}

/** Deletes a policy; its tickets lose their clocks (recomputed). */
export async function deletePolicy(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'sla:write');
  await ctx.tx(async (db) => {
    const current = await repo.findPolicy(db, id, true);
    if (!current) throw NotFound('policy');
    await repo.deletePolicy(db, id);
    await record(
      db,
      actor,
      'sla.policy_deleted',
      { type: 'sla_policy', id },
      { ...policyView(current) },
      null,
    );
    await queueRecompute(db, [current.ticket_type]);
  });
}

/** Recomputes every live ticket's projection (of `types`, or all) in pages; returns how many. */
export async function recomputeAll(
  ctx: Ctx,
  types: readonly string[] | null,
  pageSize = 1000,
): Promise<number> {
  const policies = await policiesByType(ctx.db);
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const ids = await repo.liveTicketIds(ctx.db, after, pageSize, types);
    if (ids.length === 0) return n;
    await ctx.tx((db) => refreshSla(db, ids, { policies }));
    n += ids.length;
    after = ids.at(-1)!;
  }
}

/** `sla.recompute`: queued by calendar and policy changes (its definition checks their payload and attempts). */
const RECOMPUTE = jobType('sla.recompute', {
  schema: z.object({ types: z.array(z.string()).nullable() }),
  handler: async (ctx, payload) => void (await recomputeAll(ctx, payload.types)),
  maxAttempts: 5,
});

/** The SLA module's job, for main.ts to hand to the job runner (no schedule: services queue it). */
export function slaJobs(): JobSet {
  return { types: [RECOMPUTE], schedules: [] };
}

function clockView(r: ClockReading | null): SlaClock | null {
  if (!r) return null;
  const iso = (x: number | null) => (x === null ? null : new Date(x).toISOString());
  const minutes = (ms: number) => Math.trunc(ms / 60_000);
  return {
    state: r.state,
    targetMinutes: minutes(r.targetMs),
    elapsedMinutes: minutes(r.elapsedMs),
    remainingMinutes: minutes(r.remainingMs),
    dueAt: iso(r.dueAt),
    warningAt: iso(r.warningAt),
    stoppedAt: iso(r.stoppedAt),
  };
}

/**
 * A ticket's clocks read now, from its history (the caller has checked that the actor may see the ticket).
 */
export async function ticketSla(db: Db, ticketId: string): Promise<TicketSla> {
  const now = Date.now();
  const [read] = await readTickets(db, [ticketId], now);
  if (!read) throw NotFound('ticket');
  const p = read.policy;
  return {
    policy: p ? { id: p.row.id, name: p.row.name } : null,
    calendar: p ? { id: p.calendarRow.id, name: p.calendarRow.name, timezone: p.calendarRow.timezone } : null,
    firstResponse: clockView(read.clocks.response),
    resolution: clockView(read.clocks.resolution),
    computedAt: new Date(now).toISOString(),
  };
}

/**
 * Counts a ticket under `policyId` (a catalogue item's SLA) instead of its type's policy, in the caller's
 * transaction, and recomputes its clocks. 400 naming `path` when the policy does not exist.
 */
export async function setTicketPolicyIn(
  db: Db,
  ticketId: string,
  policyId: string,
  path: string,
): Promise<void> {
  await requireSlaPolicy(db, policyId, path);
  await repo.setTicketPolicy(db, ticketId, policyId);
  await refreshSla(db, [ticketId]);
}

/** 400 naming `path` unless the SLA policy exists. */
export async function requireSlaPolicy(db: Db, policyId: string, path: string): Promise<void> {
  if (!(await repo.policyNames(db, [policyId])).has(policyId))
    throw Invalid('no such SLA policy', [{ path, message: 'no such SLA policy' }]);
}
