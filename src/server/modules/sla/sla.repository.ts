import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** A calendar row. */
export interface CalendarRow {
  id: string;
  name: string;
  timezone: string;
  week: [number, number][][];
  holidays: { date: string; name?: string; hours?: [number, number][] }[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A policy row. */
export interface PolicyRow {
  id: string;
  name: string;
  ticket_type: 'incident' | 'request' | 'problem';
  calendar_id: string;
  targets: Record<string, { firstResponseMinutes: number | null; resolutionMinutes: number | null }>;
  pause_on: string[];
  warn_share: string;
  warning_actions: unknown[];
  breach_actions: unknown[];
  enabled: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const CAL = sql`id, name, timezone, week, holidays, version, created_at, updated_at`;
const POL = sql`id, name, ticket_type, calendar_id, targets, pause_on, warn_share::text AS warn_share,
  warning_actions, breach_actions, enabled, version, created_at, updated_at`;

/** Every calendar, by name. */
export async function listCalendars(db: Db): Promise<CalendarRow[]> {
  return (
    await sql<CalendarRow>`SELECT ${CAL} FROM sla_calendars ORDER BY lower(name), id LIMIT 1000`.execute(db)
  ).rows;
}

/** One calendar. */
export async function findCalendar(db: Db, id: string, lock = false): Promise<CalendarRow | undefined> {
  const forUpdate = lock ? sql`FOR UPDATE` : sql``;
  return (await sql<CalendarRow>`SELECT ${CAL} FROM sla_calendars WHERE id = ${id} ${forUpdate}`.execute(db))
    .rows[0];
}

/** Inserts a calendar. */
export async function insertCalendar(
  db: Db,
  c: { name: string; timezone: string; week: unknown; holidays: unknown },
): Promise<CalendarRow> {
  return (
    await sql<CalendarRow>`INSERT INTO sla_calendars (name, timezone, week, holidays)
      VALUES (${c.name}, ${c.timezone}, ${JSON.stringify(c.week)}::jsonb, ${JSON.stringify(c.holidays)}::jsonb)
      RETURNING ${CAL}`.execute(db)
  ).rows[0]!;
}

/** Writes a calendar at `version`; undefined when stale. */
export async function updateCalendar(
  db: Db,
  id: string,
  version: number,
  c: { name: string; timezone: string; week: unknown; holidays: unknown },
): Promise<CalendarRow | undefined> {
  return (
    await sql<CalendarRow>`UPDATE sla_calendars SET name = ${c.name}, timezone = ${c.timezone},
      week = ${JSON.stringify(c.week)}::jsonb, holidays = ${JSON.stringify(c.holidays)}::jsonb,
      version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${version} RETURNING ${CAL}`.execute(db)
  ).rows[0];
}

/** Deletes a calendar (the caller checked no policy uses it). */
export async function deleteCalendar(db: Db, id: string): Promise<void> {
  await sql`DELETE FROM sla_calendars WHERE id = ${id}`.execute(db);
}

/** Names of the policies counting on a calendar. */
export async function policiesUsing(db: Db, calendarId: string): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT name FROM sla_policies WHERE calendar_id = ${calendarId}
    ORDER BY name`.execute(db);
  return r.rows.map((x) => x.name);
}

/** Every policy, by name. */
export async function listPolicies(db: Db): Promise<PolicyRow[]> {
  return (
    await sql<PolicyRow>`SELECT ${POL} FROM sla_policies ORDER BY lower(name), id LIMIT 1000`.execute(db)
  ).rows;
}

/** One policy. */
export async function findPolicy(db: Db, id: string, lock = false): Promise<PolicyRow | undefined> {
  const forUpdate = lock ? sql`FOR UPDATE` : sql``;
  return (await sql<PolicyRow>`SELECT ${POL} FROM sla_policies WHERE id = ${id} ${forUpdate}`.execute(db))
    .rows[0];
}

/** A policy's stored fields. */
export interface PolicyFields {
  name: string;
  ticketType: string;
  calendarId: string;
  targets: unknown;
  pauseOn: readonly string[];
  warnShare: number;
  warningActions: unknown;
  breachActions: unknown;
  enabled: boolean;
}

/** Inserts a policy. */
export async function insertPolicy(db: Db, p: PolicyFields): Promise<PolicyRow> {
  return (
    await sql<PolicyRow>`INSERT INTO sla_policies
      (name, ticket_type, calendar_id, targets, pause_on, warn_share, warning_actions, breach_actions, enabled)
      VALUES (${p.name}, ${p.ticketType}, ${p.calendarId}, ${JSON.stringify(p.targets)}::jsonb,
        ${[...p.pauseOn]}::text[], ${p.warnShare}, ${JSON.stringify(p.warningActions)}::jsonb,
        ${JSON.stringify(p.breachActions)}::jsonb, ${p.enabled})
      RETURNING ${POL}`.execute(db)
  ).rows[0]!;
}

/** Writes a policy at `version`; undefined when stale. */
export async function updatePolicy(
  db: Db,
  id: string,
  version: number,
  p: PolicyFields,
): Promise<PolicyRow | undefined> {
  return (
    await sql<PolicyRow>`UPDATE sla_policies SET name = ${p.name}, ticket_type = ${p.ticketType},
      calendar_id = ${p.calendarId}, targets = ${JSON.stringify(p.targets)}::jsonb,
      pause_on = ${[...p.pauseOn]}::text[], warn_share = ${p.warnShare},
      warning_actions = ${JSON.stringify(p.warningActions)}::jsonb,
      breach_actions = ${JSON.stringify(p.breachActions)}::jsonb, enabled = ${p.enabled},
      version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${version} RETURNING ${POL}`.execute(db)
  ).rows[0];
}

/** Deletes a policy (projections that used it lose it: ON DELETE SET NULL, then a recompute). */
export async function deletePolicy(db: Db, id: string): Promise<void> {
  await sql`DELETE FROM sla_policies WHERE id = ${id}`.execute(db);
}

/** The enabled policy of each ticket type, with its calendar. */
export async function activePolicies(db: Db): Promise<{ policy: PolicyRow; calendar: CalendarRow }[]> {
  const r = await sql<{ p: PolicyRow; c: CalendarRow }>`
    SELECT to_jsonb(p) AS p, to_jsonb(c) AS c
    FROM sla_policies p JOIN sla_calendars c ON c.id = p.calendar_id
    WHERE p.enabled`.execute(db);
  return r.rows.map(policyWithCalendar);
}

/** A policy and its calendar as `to_jsonb` gives them, with their dates and share typed as the rows are. */
function policyWithCalendar({ p, c }: { p: PolicyRow; c: CalendarRow }) {
  return {
    policy: {
      ...p,
      warn_share: String(p.warn_share),
      created_at: new Date(p.created_at),
      updated_at: new Date(p.updated_at),
    },
    calendar: { ...c, created_at: new Date(c.created_at), updated_at: new Date(c.updated_at) },
  };
}

/** The policies of their own (a catalogue item's SLA) that some of `ids` are counted under, by ticket. */
export async function ticketPolicies(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { policy: PolicyRow; calendar: CalendarRow }>> {
  if (ids.length === 0) return new Map();
  const r = await sql<{ ticket_id: string; p: PolicyRow; c: CalendarRow }>`
    SELECT tp.ticket_id, to_jsonb(p) AS p, to_jsonb(c) AS c
    FROM sla_ticket_policies tp JOIN sla_policies p ON p.id = tp.policy_id
      JOIN sla_calendars c ON c.id = p.calendar_id
    WHERE tp.ticket_id = ANY(${[...ids]}::uuid[])`.execute(db);
  return new Map(r.rows.map((row) => [row.ticket_id, policyWithCalendar(row)]));
}

/** Counts a ticket under `policyId` instead of its type's policy. */
export async function setTicketPolicy(db: Db, ticketId: string, policyId: string): Promise<void> {
  await db
    .insertInto('sla_ticket_policies')
    .values({ ticket_id: ticketId, policy_id: policyId })
    .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ policy_id: policyId }))
    .execute();
}

/** The names of the policies among `ids` that exist. */
export async function policyNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sla_policies').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What the clock needs of a ticket row. */
export interface TicketClockRow {
  id: string;
  type: 'incident' | 'request' | 'problem';
  created_at: Date;
  first_response_at: Date | null;
}

/** A timeline event the clock reads (creation, status, priority and pending-reason changes, routing). */
export interface ClockEventRow {
  ticket_id: string;
  kind: 'created' | 'status' | 'field' | 'routing';
  field: string | null;
  new_value: unknown;
  at: Date;
}

/** Tickets and the events their clocks are computed from, in timeline order. */
export async function histories(
  db: Db,
  ids: readonly string[],
): Promise<{ tickets: TicketClockRow[]; events: ClockEventRow[] }> {
  if (ids.length === 0) return { tickets: [], events: [] };
  const tickets = await sql<TicketClockRow>`SELECT id, type, created_at, first_response_at FROM tickets
    WHERE id = ANY(${[...ids]}::uuid[])`.execute(db);
  const events = await sql<ClockEventRow>`SELECT ticket_id, kind, field, new_value, at FROM ticket_events
    WHERE ticket_id = ANY(${[...ids]}::uuid[])
      AND (kind IN ('created', 'status', 'routing') OR (kind = 'field' AND field IN ('priority', 'pendingReason')))
    ORDER BY ticket_id, seq`.execute(db);
  return { tickets: tickets.rows, events: events.rows };
}

/** One ticket's projection, as written. */
export interface ProjectionRow {
  ticketId: string;
  policyId: string | null;
  responseState: string | null;
  responseDueAt: Date | null;
  responseWarningAt: Date | null;
  resolutionState: string | null;
  resolutionDueAt: Date | null;
  resolutionWarningAt: Date | null;
  nextCheckAt: Date | null;
  escalated: readonly string[];
}

/** The escalations already carried out, per ticket. */
export async function escalatedOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map();
  const r = await sql<{ ticket_id: string; escalated: string[] }>`SELECT ticket_id, escalated FROM ticket_sla
    WHERE ticket_id = ANY(${[...ids]}::uuid[])`.execute(db);
  return new Map(r.rows.map((x) => [x.ticket_id, x.escalated]));
}

/** Writes projections, replacing what was there, in one statement. */
export async function upsertProjections(db: Db, rows: readonly ProjectionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: ProjectionRow) => T) => rows.map(f);
  await sql`INSERT INTO ticket_sla AS s (ticket_id, policy_id, response_state, response_due_at,
      response_warning_at, resolution_state, resolution_due_at, resolution_warning_at, next_check_at,
      escalated, computed_at)
    SELECT v.ticket_id, v.policy_id, v.response_state, v.response_due_at, v.response_warning_at,
      v.resolution_state, v.resolution_due_at, v.resolution_warning_at, v.next_check_at,
      CASE WHEN v.escalated = '' THEN '{}'::text[] ELSE string_to_array(v.escalated, ',') END, now()
    FROM unnest(${col((r) => r.ticketId)}::uuid[], ${col((r) => r.policyId)}::uuid[],
      ${col((r) => r.responseState)}::text[], ${col((r) => r.responseDueAt)}::timestamptz[],
      ${col((r) => r.responseWarningAt)}::timestamptz[], ${col((r) => r.resolutionState)}::text[],
      ${col((r) => r.resolutionDueAt)}::timestamptz[], ${col((r) => r.resolutionWarningAt)}::timestamptz[],
      ${col((r) => r.nextCheckAt)}::timestamptz[], ${col((r) => r.escalated.join(','))}::text[])
      AS v(ticket_id, policy_id, response_state, response_due_at, response_warning_at, resolution_state,
        resolution_due_at, resolution_warning_at, next_check_at, escalated)
    ON CONFLICT (ticket_id) DO UPDATE SET policy_id = EXCLUDED.policy_id,
      response_state = EXCLUDED.response_state, response_due_at = EXCLUDED.response_due_at,
      response_warning_at = EXCLUDED.response_warning_at, resolution_state = EXCLUDED.resolution_state,
      resolution_due_at = EXCLUDED.resolution_due_at, resolution_warning_at = EXCLUDED.resolution_warning_at,
      next_check_at = EXCLUDED.next_check_at, escalated = EXCLUDED.escalated, computed_at = now()`.execute(
    db,
  );
}

/**
 * Ids of tickets whose clocks may still move (not closed or cancelled), after `afterId`, in id order: the
 * recompute after a calendar or policy change walks them in pages.
 */
export async function liveTicketIds(
  db: Db,
  afterId: string | null,
  limit: number,
  types: readonly string[] | null,
): Promise<string[]> {
  const r = await sql<{ id: string }>`SELECT id FROM tickets
    WHERE status NOT IN ('closed', 'cancelled')
      ${afterId ? sql`AND id > ${afterId}::uuid` : sql``}
      ${types ? sql`AND type = ANY(${[...types]}::text[])` : sql``}
    ORDER BY id LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => x.id);
}

/** Tickets whose next check is due, locked so that one escalation runner takes each. */
export async function dueChecks(db: Db, now: Date, limit: number, only?: string): Promise<string[]> {
  const r = await sql<{ ticket_id: string }>`SELECT ticket_id FROM ticket_sla
    WHERE next_check_at <= ${now} ${only ? sql`AND ticket_id = ${only}` : sql``}
    ORDER BY next_check_at LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`.execute(db);
  return r.rows.map((x) => x.ticket_id);
}

/** The stored projection of a ticket. */
export async function projectionOf(db: Db, ticketId: string) {
  return (
    await sql<{ policy_id: string | null; escalated: string[]; next_check_at: Date | null }>`
      SELECT policy_id, escalated, next_check_at FROM ticket_sla WHERE ticket_id = ${ticketId}`.execute(db)
  ).rows[0];
}

/** Records an SLA event on a ticket's timeline (agents only). */
export async function insertSlaEvent(
  db: Db,
  ticketId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await sql`INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, field, old_value, new_value, internal)
    VALUES (${ticketId}, NULL, 'sla', 'sla', NULL, NULL, ${JSON.stringify(detail)}::jsonb, true)`.execute(db);
}

/** Whether a team exists. */
export async function teamExists(db: Db, id: string): Promise<boolean> {
  return (await sql`SELECT 1 FROM teams WHERE id = ${id}`.execute(db)).rows.length > 0;
}

/** Adds carried-out escalation steps to a ticket's projection. */
export async function markEscalated(db: Db, ticketId: string, steps: readonly string[]): Promise<void> {
  await sql`UPDATE ticket_sla SET escalated = ARRAY(SELECT DISTINCT unnest(escalated || ${[...steps]}::text[]))
    WHERE ticket_id = ${ticketId}`.execute(db);
}
