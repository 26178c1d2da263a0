/**
 * The SLA clock, recomputed from a ticket's history every time (never kept in counters), so a change of
 * priority, policy or calendar mid-flight gives the same answer as if it had always been so.
 *
 * The rules:
 * - A clock runs from the ticket's creation, in business time of the policy's calendar.
 * - It pauses while the ticket is pending for a reason the policy pauses on (by default: requester, vendor).
 * - First response stops at the first public reply of an agent; resolution stops when the ticket is resolved
 *   (or closed or cancelled) and runs on again if it is reopened.
 * - The target is the policy's target for the ticket's priority now (or when the clock stopped): raising the
 *   priority shortens the time left at once, counted from creation.
 * - Warning at `warnShare` of the target, breach at 100 %.
 */
import { addBusinessTime, businessTimeBetween, type Calendar } from './business-time.js';

/** One change in a ticket's history, oldest first. */
export type HistoryEvent =
  | { at: number; kind: 'status'; status: string; pendingReason: string | null }
  | { at: number; kind: 'priority'; priority: number };

/** What the clock needs to know about a ticket. */
export interface TicketHistory {
  createdAt: number;
  /** Status and priority at creation. */
  status: string;
  pendingReason: string | null;
  priority: number;
  /** Later changes, oldest first. */
  events: readonly HistoryEvent[];
  /** The first public reply by an agent, if any. */
  firstResponseAt: number | null;
}

/** Targets (business minutes) of one priority. */
export interface Targets {
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

/** The part of a policy the clock uses. */
export interface ClockPolicy {
  /** Targets per priority (1–6); a priority without targets has no clock. */
  targets: Readonly<Record<number, Targets>>;
  /** Pending reasons that pause the clock. */
  pauseOn: readonly string[];
  /** Share of the target at which a warning is due (0 < share < 1). */
  warnShare: number;
}

/** The state of one clock. */
export type ClockState = 'running' | 'paused' | 'warning' | 'breached' | 'met' | 'missed';

/** One clock's reading at `now`. */
export interface ClockReading {
  target: 'first_response' | 'resolution';
  /** The target in business ms. */
  targetMs: number;
  /** Business ms counted so far. */
  elapsedMs: number;
  /** When the target is (or was) reached; null while paused before it was reached, or when met in time. */
  dueAt: number | null;
  /** When the warning is (or was) due; null like dueAt. */
  warningAt: number | null;
  /** Business ms left (negative when breached). */
  remainingMs: number;
  state: ClockState;
  /** When the clock stopped (met or missed), else null. */
  stoppedAt: number | null;
}

const STOPPED = new Set(['resolved', 'closed', 'cancelled']);

/** The spans [start, end) in which a clock ran, up to `until`; the last may be open (end = null). */
function runningSpans(
  h: TicketHistory,
  policy: ClockPolicy,
  kind: 'first_response' | 'resolution',
  until: number,
): { spans: [number, number | null][]; stoppedAt: number | null } {
  const spans: [number, number | null][] = [];
  let status = h.status;
  let reason = h.pendingReason;
  let since: number | null = null;
  const runs = (): boolean =>
    !(status === 'pending' && reason !== null && policy.pauseOn.includes(reason)) &&
    (kind === 'first_response' || !STOPPED.has(status));
  const stopAt = kind === 'first_response' ? h.firstResponseAt : null;
  let t = h.createdAt;
  if (runs()) since = t;
  const close = (at: number): void => {
    if (since !== null && at > since) spans.push([since, at]);
    since = null;
  };
  for (const e of h.events) {
    if (e.at > until || (stopAt !== null && e.at >= stopAt)) break;
    if (e.kind !== 'status') continue;
    t = e.at;
    const was = runs();
    status = e.status;
    reason = e.pendingReason;
    const now = runs();
    if (was && !now) close(t);
    else if (!was && now) since = t;
  }
  if (stopAt !== null && stopAt <= until) {
    close(stopAt);
    return { spans, stoppedAt: stopAt };
  }
  let stoppedAt: number | null = null;
  if (kind === 'resolution' && STOPPED.has(status)) stoppedAt = t;
  if (since !== null) spans.push([since, null]);
  return { spans, stoppedAt };
}

/** The priority in force at `at`. */
function priorityAt(h: TicketHistory, at: number): number {
  let p = h.priority;
  for (const e of h.events) {
    if (e.at > at) break;
    if (e.kind === 'priority') p = e.priority;
  }
  return p;
}

/** The instant at which the running spans accumulate `threshold` business ms, or null if they never do. */
function crossing(cal: Calendar, spans: [number, number | null][], threshold: number): number | null {
  let sum = 0;
  for (const [s, e] of spans) {
    if (e === null) return addBusinessTime(cal, s, threshold - sum);
    const part = businessTimeBetween(cal, s, e);
    if (sum + part >= threshold) return addBusinessTime(cal, s, threshold - sum);
    sum += part;
  }
  return null;
}

/** Reads one clock of a ticket at `now`; null when its priority has no target for it. */
export function readClock(
  h: TicketHistory,
  policy: ClockPolicy,
  cal: Calendar,
  kind: 'first_response' | 'resolution',
  now: number,
): ClockReading | null {
  const { spans, stoppedAt } = runningSpans(h, policy, kind, now);
  const priority = priorityAt(h, stoppedAt ?? now);
  const t = policy.targets[priority];
  const minutes = kind === 'first_response' ? t?.firstResponseMinutes : t?.resolutionMinutes;
  if (minutes === null || minutes === undefined) return null;
  const targetMs = minutes * 60_000;
  // Targets are whole minutes, and so is the warning point.
  const warnMs = Math.round(minutes * policy.warnShare) * 60_000;
  const end = stoppedAt ?? now;
  let elapsedMs = 0;
  for (const [s, e] of spans) elapsedMs += businessTimeBetween(cal, s, Math.min(e ?? end, end));
  const open = spans.at(-1)?.[1] === null && stoppedAt === null;
  // While paused, the due time is unknown (null) unless the target was already reached.
  const dueAt = crossing(cal, spans, targetMs);
  const warnAt = crossing(cal, spans, warnMs);
  const reached = (x: number | null): number | null => (x !== null && (open || x <= end) ? x : null);
  let state: ClockState;
  if (stoppedAt !== null) state = elapsedMs <= targetMs ? 'met' : 'missed';
  else if (elapsedMs >= targetMs) state = 'breached';
  else if (!open) state = 'paused';
  else if (elapsedMs >= warnMs) state = 'warning';
  else state = 'running';
  return {
    target: kind,
    targetMs,
    elapsedMs,
    dueAt: state === 'met' ? null : reached(dueAt),
    warningAt: state === 'met' ? null : reached(warnAt),
    remainingMs: targetMs - elapsedMs,
    state,
    stoppedAt,
  };
}
