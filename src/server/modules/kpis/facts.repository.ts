/**
 * The ticket facts and their daily aggregates (this module's tables): kept exact by catching up with the tickets
 * the triggers marked, or rebuilt from scratch. Facts are composed from the owning modules' read queries.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { ticketServiceSource } from '../cmdb/index.js';
import { slaKpiSource } from '../sla/index.js';
import { ticketKpiSource } from '../tickets/index.js';
import { type Anchor, COUNTER_NAMES, COUNTERS, type CounterName } from './definitions.js';

const FACT_COLUMNS = [
  'ticket_id',
  'team_id',
  'service_id',
  'created_at',
  'responded_at',
  'response_met',
  'resolved_at',
  'resolution_met',
  'finished_at',
  'fcr',
  'reopened',
  'csat',
] as const;

/** The facts of every ticket, or of `ids`, from the tickets, SLA and CMDB modules' queries. */
function factsSource(ids: readonly string[] | null): RawBuilder<unknown> {
  const responded = sql`coalesce(t.first_response_at, t.resolved_at, t.finished_at)`;
  return sql`SELECT t.ticket_id, t.team_id, v.service_id, t.created_at,
      CASE WHEN s.response_state IN ('met', 'missed') THEN ${responded} END AS responded_at,
      CASE WHEN s.response_state IN ('met', 'missed') AND ${responded} IS NOT NULL
        THEN s.response_state = 'met' END AS response_met,
      t.resolved_at,
      CASE WHEN t.resolved_at IS NOT NULL AND s.resolution_state IN ('met', 'missed')
        THEN s.resolution_state = 'met' END AS resolution_met,
      t.finished_at,
      t.resolved_at IS NOT NULL AND NOT t.reopened AND NOT t.reassigned AS fcr,
      t.reopened, t.csat
    FROM (${ticketKpiSource(ids)}) t
    LEFT JOIN (${slaKpiSource(ids)}) s ON s.ticket_id = t.ticket_id
    LEFT JOIN (${ticketServiceSource(ids)}) v ON v.ticket_id = t.ticket_id`;
}

const ANCHORS: Anchor[] = ['created_at', 'finished_at', 'responded_at', 'resolved_at'];

/**
 * The daily aggregate rows of the facts in `rel` (a relation with the fact columns and `sign`): per anchor, the
 * counters of that anchor summed by day, team and service; the other counters 0.
 */
function contributions(rel: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = ANCHORS.map((anchor) => {
    const cols = COUNTER_NAMES.map((name) => {
      const c = COUNTERS[name];
      return c.anchor === anchor
        ? sql`CASE WHEN ${c.when} THEN sign * (${c.value}) ELSE 0 END AS ${sql.ref(name)}`
        : sql`0 AS ${sql.ref(name)}`;
    });
    return sql`SELECT (${sql.ref(anchor)} AT TIME ZONE 'UTC')::date AS day, team_id, service_id, ${sql.join(cols)}
      FROM ${rel} f WHERE ${sql.ref(anchor)} IS NOT NULL`;
  });
  const sums = COUNTER_NAMES.map((n) => sql`sum(${sql.ref(n)})::bigint AS ${sql.ref(n)}`);
  return sql`SELECT day, team_id, service_id, ${sql.join(sums)}
    FROM (${sql.join(parts, sql` UNION ALL `)}) u GROUP BY day, team_id, service_id
    ORDER BY day, team_id NULLS FIRST, service_id NULLS FIRST`;
}

/** Adds the contribution rows to kpi_daily (in key order, so concurrent catch-ups lock rows alike). */
function applyDaily(rows: RawBuilder<unknown>): RawBuilder<unknown> {
  const names = sql.join(COUNTER_NAMES.map((n) => sql.ref(n)));
  const adds = sql.join(
    COUNTER_NAMES.map((n) => sql`${sql.ref(n)} = kpi_daily.${sql.ref(n)} + excluded.${sql.ref(n)}`),
  );
  return sql`INSERT INTO kpi_daily (day, team_id, service_id, ${names}) ${rows}
    ON CONFLICT (day, team_id, service_id) DO UPDATE SET ${adds}`;
}

/**
 * Takes up to `limit` marked tickets (skipping those another catch-up or a writer holds) and brings their facts and
 * the aggregates up to date, in the caller's transaction: the aggregates move by new minus old contributions.
 * Returns how many tickets were taken.
 */
export async function catchUpBatch(db: Db, limit: number): Promise<number> {
  const taken = await sql<{ ticket_id: string }>`DELETE FROM kpi_dirty WHERE ticket_id IN (
      SELECT ticket_id FROM kpi_dirty ORDER BY ticket_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING ticket_id`.execute(db);
  const ids = taken.rows.map((r) => r.ticket_id).sort();
  if (ids.length === 0) return 0;
  const cols = sql.join(FACT_COLUMNS.map((c) => sql.ref(c)));
  const sets = sql.join(FACT_COLUMNS.slice(1).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  await sql`WITH src AS MATERIALIZED (${factsSource(ids)}),
      old AS MATERIALIZED (SELECT * FROM kpi_ticket_facts WHERE ticket_id = ANY(${ids}::uuid[])),
      up AS (INSERT INTO kpi_ticket_facts (${cols}) SELECT ${cols} FROM src ORDER BY ticket_id
        ON CONFLICT (ticket_id) DO UPDATE SET ${sets} RETURNING 1),
      gone AS (DELETE FROM kpi_ticket_facts k WHERE k.ticket_id = ANY(${ids}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM src WHERE src.ticket_id = k.ticket_id) RETURNING 1),
      signed AS (SELECT -1 AS sign, ${cols} FROM old UNION ALL SELECT 1 AS sign, ${cols} FROM src)
    ${applyDaily(contributions(sql`signed`))}`.execute(db);
  return ids.length;
}

/** Whether any ticket waits for a catch-up (0 or 1: an existence check, not a count). */
export async function pendingCount(db: Db): Promise<number> {
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM kpi_dirty LIMIT 1) d`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * Recomputes every fact and aggregate from scratch, in the caller's transaction (the tables are locked against
 * concurrent catch-ups; marks taken here are done with).
 */
export async function rebuildAll(db: Db): Promise<void> {
  await sql`LOCK TABLE kpi_ticket_facts, kpi_daily IN EXCLUSIVE MODE`.execute(db);
  await sql`DELETE FROM kpi_dirty`.execute(db);
  await sql`TRUNCATE kpi_ticket_facts, kpi_daily`.execute(db);
  const cols = sql.join(FACT_COLUMNS.map((c) => sql.ref(c)));
  await sql`INSERT INTO kpi_ticket_facts (${cols}) SELECT ${cols} FROM (${factsSource(null)}) s`.execute(db);
  await sql`${applyDaily(contributions(sql`(SELECT 1 AS sign, * FROM kpi_ticket_facts)`))}`.execute(db);
}

/** The aggregates as they would be computed from scratch now (for tests and checks): one row per non-zero key. */
export async function dailyFromScratch(db: Db): Promise<Record<string, unknown>[]> {
  const rel = sql`(SELECT 1 AS sign, * FROM (${factsSource(null)}) s)`;
  return (await sql<Record<string, unknown>>`${contributions(rel)}`.execute(db)).rows;
}

/** The stored aggregates, without rows whose counters are all 0, in the same order as {@link dailyFromScratch}. */
export async function dailyStored(db: Db): Promise<Record<string, unknown>[]> {
  const cols = sql.join(COUNTER_NAMES.map((n) => sql`${sql.ref(n)}::bigint AS ${sql.ref(n)}`));
  const nonZero = sql.join(
    COUNTER_NAMES.map((n) => sql`${sql.ref(n)} <> 0`),
    sql` OR `,
  );
  return (
    await sql<
      Record<string, unknown>
    >`SELECT day, team_id, service_id, ${cols} FROM kpi_daily WHERE ${nonZero}
      ORDER BY day, team_id NULLS FIRST, service_id NULLS FIRST`.execute(db)
  ).rows;
}

/** Filters of a KPI read. */
export interface Slice {
  teamId?: string | undefined;
  serviceId?: string | undefined;
}

const sliceWhere = (s: Slice) =>
  sql.join(
    [
      sql`true`,
      ...(s.teamId ? [sql`team_id = ${s.teamId}::uuid`] : []),
      ...(s.serviceId ? [sql`service_id = ${s.serviceId}::uuid`] : []),
    ],
    sql` AND `,
  );

/** The counters summed per day from `from` to `to` (YYYY-MM-DD, included), days with nothing left out. */
export async function dailySums(
  db: Db,
  names: readonly CounterName[],
  from: string,
  to: string,
  slice: Slice,
): Promise<{ day: string; sums: Record<string, number> }[]> {
  const cols = sql.join(names.map((n) => sql`sum(${sql.ref(n)})::float8 AS ${sql.ref(n)}`));
  const rows = await sql<
    Record<string, number> & { day: string }
  >`SELECT to_char(day, 'YYYY-MM-DD') AS day, ${cols}
    FROM kpi_daily WHERE day BETWEEN ${from}::date AND ${to}::date AND ${sliceWhere(slice)}
    GROUP BY day ORDER BY day`.execute(db);
  return rows.rows.map(({ day, ...sums }) => ({ day, sums }));
}

/** The counters summed over every day before `day` (the backlog's opening balance). */
export async function sumsBefore(
  db: Db,
  names: readonly CounterName[],
  day: string,
  slice: Slice,
): Promise<Record<string, number>> {
  const cols = sql.join(names.map((n) => sql`coalesce(sum(${sql.ref(n)}), 0)::float8 AS ${sql.ref(n)}`));
  const r = await sql<Record<string, number>>`SELECT ${cols} FROM kpi_daily
    WHERE day < ${day}::date AND ${sliceWhere(slice)}`.execute(db);
  return r.rows[0] ?? {};
}

export { sliceWhere };
