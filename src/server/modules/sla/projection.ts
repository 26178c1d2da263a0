/**
 * The per-ticket SLA projection: each ticket's clocks recomputed from its timeline (never kept in counters)
 * and stored in `ticket_sla`, so lists can filter and sort by due times and the escalation job can find
 * the next warning or breach. It is refreshed inside every ticket write's transaction and rewritten for
 * every live ticket when a calendar or policy changes.
 */
import type { Db } from '../../platform/context.js';
import type { Calendar } from './business-time.js';
import {
  type ClockPolicy,
  type ClockReading,
  type HistoryEvent,
  readClock,
  type TicketHistory,
} from './clock.js';
import * as repo from './sla.repository.js';

/** A policy ready for the clock, with its calendar. */
export interface ActivePolicy {
  row: repo.PolicyRow;
  calendarRow: repo.CalendarRow;
  clock: ClockPolicy;
  calendar: Calendar;
}

/** The clock's view of a policy row and its calendar row. */
export function activePolicy(row: repo.PolicyRow, calendarRow: repo.CalendarRow): ActivePolicy {
  const targets: ClockPolicy['targets'] = {};
  for (const [p, t] of Object.entries(row.targets)) (targets as Record<number, unknown>)[Number(p)] = t;
  return {
    row,
    calendarRow,
    clock: { targets, pauseOn: row.pause_on, warnShare: Number(row.warn_share) },
    calendar: {
      timezone: calendarRow.timezone,
      week: calendarRow.week,
      holidays: calendarRow.holidays.map((h) =>
        h.hours ? { date: h.date, hours: h.hours } : { date: h.date },
      ),
    },
  };
}

/** The enabled policy of each ticket type. */
export async function policiesByType(db: Db): Promise<Map<string, ActivePolicy>> {
  const rows = await repo.activePolicies(db);
  return new Map(rows.map(({ policy, calendar }) => [policy.ticket_type, activePolicy(policy, calendar)]));
}

/**
 * Rebuilds a ticket's history for the clock from its timeline: the creation (status and priority as
 * created), routing (which may set the priority or assign), priority changes, and status and pending-reason
 * changes. A pending reason written just before a status change (one write) is taken with that change.
 */
export function historyOf(ticket: repo.TicketClockRow, events: readonly repo.ClockEventRow[]): TicketHistory {
  let status = 'new';
  let reason: string | null = null;
  let priority = 3;
  const out: HistoryEvent[] = [];
  const created = events.find((e) => e.kind === 'created');
  if (created && isObject(created.new_value)) {
    if (typeof created.new_value.status === 'string') status = created.new_value.status;
    if (typeof created.new_value.priority === 'number') priority = created.new_value.priority;
  }
  const initial = { status, reason, priority };
  for (const [i, e] of events.entries()) {
    const at = e.at.getTime();
    if (e.kind === 'status' && typeof e.new_value === 'string') {
      status = e.new_value;
      if (status !== 'pending') reason = null;
      out.push({ at, kind: 'status', status, pendingReason: reason });
    } else if (e.kind === 'field' && e.field === 'priority' && typeof e.new_value === 'number') {
      priority = e.new_value;
      out.push({ at, kind: 'priority', priority });
    } else if (e.kind === 'field' && e.field === 'pendingReason') {
      reason = typeof e.new_value === 'string' ? e.new_value : null;
      const next = events[i + 1];
      // Part of a status change written in the same change: that status event carries it.
      if (next?.kind === 'status') continue;
      out.push({ at, kind: 'status', status, pendingReason: reason });
    } else if (e.kind === 'routing' && isObject(e.new_value) && isObject(e.new_value.changes)) {
      const ch = e.new_value.changes;
      if (typeof ch.priority === 'number') {
        priority = ch.priority;
        out.push({ at, kind: 'priority', priority });
      }
      if (typeof ch.status === 'string') {
        status = ch.status;
        out.push({ at, kind: 'status', status, pendingReason: reason });
      }
    }
  }
  return {
    createdAt: ticket.created_at.getTime(),
    status: initial.status,
    pendingReason: initial.reason,
    priority: initial.priority,
    events: out,
    firstResponseAt: ticket.first_response_at?.getTime() ?? null,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Both clocks of a ticket at `now` under `policy` (null without a policy or a target). */
export function readClocks(
  h: TicketHistory,
  policy: ActivePolicy | undefined,
  now: number,
): { response: ClockReading | null; resolution: ClockReading | null } {
  if (!policy) return { response: null, resolution: null };
  return {
    response: readClock(h, policy.clock, policy.calendar, 'first_response', now),
    resolution: readClock(h, policy.clock, policy.calendar, 'resolution', now),
  };
}

/** The escalation steps of a clock: `response_warning`, `resolution_breach`, … */
export type Step = `${'response' | 'resolution'}_${'warning' | 'breach'}`;

/**
 * Which escalations a clock's reading keeps: a clock back to running before its warning (the priority was
 * lowered, a calendar gained hours) may warn again; one back to warning may breach again.
 */
function keptSteps(
  name: 'response' | 'resolution',
  r: ClockReading | null,
  done: readonly string[],
): string[] {
  const mine = done.filter((s) => s.startsWith(`${name}_`));
  if (!r || r.state === 'running') return [];
  if (r.state === 'warning') return mine.filter((s) => s.endsWith('_warning'));
  return mine;
}

/** Steps due at `now` that have not been carried out yet (only for clocks still running). */
export function dueSteps(
  clocks: { response: ClockReading | null; resolution: ClockReading | null },
  done: readonly string[],
): Step[] {
  const steps: Step[] = [];
  for (const name of ['response', 'resolution'] as const) {
    const r = clocks[name];
    if (!r) continue;
    if ((r.state === 'warning' || r.state === 'breached') && !done.includes(`${name}_warning`))
      steps.push(`${name}_warning`);
    if (r.state === 'breached' && !done.includes(`${name}_breach`)) steps.push(`${name}_breach`);
  }
  return steps;
}

/** The projection row of one ticket at `now`. */
export function projectionRow(
  ticketId: string,
  policy: ActivePolicy | undefined,
  clocks: { response: ClockReading | null; resolution: ClockReading | null },
  done: readonly string[],
  now: number,
): repo.ProjectionRow {
  const escalated = [
    ...keptSteps('response', clocks.response, done),
    ...keptSteps('resolution', clocks.resolution, done),
  ];
  // The next time something is due: a warning or breach not yet escalated (now, when one is overdue).
  let next: number | null = null;
  const consider = (at: number | null, step: string, live: boolean) => {
    if (at === null || !live || escalated.includes(step)) return;
    next = Math.min(next ?? Infinity, Math.max(at, now));
  };
  for (const name of ['response', 'resolution'] as const) {
    const r = clocks[name];
    const live = r !== null && (r.state === 'running' || r.state === 'warning' || r.state === 'breached');
    consider(r?.warningAt ?? null, `${name}_warning`, live);
    consider(r?.dueAt ?? null, `${name}_breach`, live);
  }
  const d = (x: number | null | undefined) => (x === null || x === undefined ? null : new Date(x));
  return {
    ticketId,
    policyId: policy?.row.id ?? null,
    responseState: clocks.response?.state ?? null,
    responseDueAt: d(clocks.response?.dueAt),
    responseWarningAt: d(clocks.response?.warningAt),
    resolutionState: clocks.resolution?.state ?? null,
    resolutionDueAt: d(clocks.resolution?.dueAt),
    resolutionWarningAt: d(clocks.resolution?.warningAt),
    nextCheckAt: d(next),
    escalated,
  };
}

/** Tickets' histories and readings, for a refresh or the escalation job. */
export async function readTickets(
  db: Db,
  ids: readonly string[],
  now: number,
  policies?: Map<string, ActivePolicy>,
) {
  const pols = policies ?? (await policiesByType(db));
  const [{ tickets, events }, own] = await Promise.all([
    repo.histories(db, ids),
    repo.ticketPolicies(db, ids),
  ]);
  const byTicket = new Map<string, repo.ClockEventRow[]>();
  for (const e of events) {
    let list = byTicket.get(e.ticket_id);
    if (!list) byTicket.set(e.ticket_id, (list = []));
    list.push(e);
  }
  return tickets.map((t) => {
    // A ticket counted under a policy of its own (a catalogue item's SLA) keeps it, enabled for its type or not.
    const mine = own.get(t.id);
    const policy = mine ? activePolicy(mine.policy, mine.calendar) : pols.get(t.type);
    return { ticket: t, policy, clocks: readClocks(historyOf(t, byTicket.get(t.id) ?? []), policy, now) };
  });
}

/**
 * Recomputes and stores the SLA projection of `ids` in the caller's transaction (a ticket write, or a page
 * of the recompute job). Escalations already carried out are kept unless the clock went back.
 */
export async function refreshSla(
  db: Db,
  ids: readonly string[],
  opts: {
    now?: number;
    policies?: Map<string, ActivePolicy>;
    /** The tickets were created in this transaction, with these types: no projection exists yet. */
    created?: readonly string[];
  } = {},
): Promise<void> {
  if (ids.length === 0) return;
  const now = opts.now ?? Date.now();
  const policies = opts.policies ?? (await policiesByType(db));
  // New tickets that no policy covers have no clocks: nothing to store.
  if (opts.created && !opts.created.some((type) => policies.has(type))) return;
  const read = await readTickets(db, ids, now, policies);
  const done = opts.created ? new Map<string, string[]>() : await repo.escalatedOf(db, ids);
  await repo.upsertProjections(
    db,
    read.map((r) => projectionRow(r.ticket.id, r.policy, r.clocks, done.get(r.ticket.id) ?? [], now)),
  );
}
