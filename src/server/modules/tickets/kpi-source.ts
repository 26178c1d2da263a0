import { type RawBuilder, sql } from 'kysely';
import { TICKET_PREFIX } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** A ticket as the KPIs see it (the kpis module's facts are built on this query; tickets owns it). */
export interface TicketKpiRow {
  ticket_id: string;
  team_id: string | null;
  created_at: Date;
  first_response_at: Date | null;
  /** Set while the ticket is resolved or closed. */
  resolved_at: Date | null;
  /** When it left the backlog: resolved, closed or cancelled. */
  finished_at: Date | null;
  csat: number | null;
  /** Ever moved from resolved or closed back to work. */
  reopened: boolean;
  /** Ever moved from one team or agent to another (the first assignment is not a move). */
  reassigned: boolean;
}

/**
 * The tickets' side of the KPI facts, as a subquery for the kpis module to compose (read only): every ticket,
 * or only `ids`. Reopens and reassignments are read from the timeline's status and field events.
 */
export function ticketKpiSource(ids: readonly string[] | null): RawBuilder<TicketKpiRow> {
  return sql<TicketKpiRow>`SELECT t.id AS ticket_id, t.team_id, t.created_at, t.first_response_at,
      CASE WHEN t.status IN ('resolved', 'closed') THEN coalesce(t.resolved_at, t.closed_at, t.updated_at) END
        AS resolved_at,
      CASE WHEN t.status IN ('resolved', 'closed') THEN coalesce(t.resolved_at, t.closed_at, t.updated_at)
           WHEN t.status = 'cancelled' THEN t.updated_at END AS finished_at,
      t.csat_rating AS csat,
      EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status'
        AND e.old_value #>> '{}' IN ('resolved', 'closed')
        AND e.new_value #>> '{}' NOT IN ('resolved', 'closed', 'cancelled')) AS reopened,
      EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'field'
        AND e.field IN ('teamId', 'assigneeId') AND e.old_value IS NOT NULL
        AND e.old_value <> 'null'::jsonb) AS reassigned
    FROM tickets t ${ids ? sql`WHERE t.id = ANY(${ids}::uuid[])` : sql``}`;
}

/** The key (INC-42) and title of each ticket among `ids`, by id: how a KPI's list names its tickets. */
export async function ticketHeadlines(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { key: string; title: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'type', 'number', 'title'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { key: `${TICKET_PREFIX[r.type]}-${r.number}`, title: r.title }]));
}
