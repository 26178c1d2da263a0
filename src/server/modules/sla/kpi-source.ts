import { type RawBuilder, sql } from 'kysely';

/** A ticket's SLA clocks as the KPIs see them. */
export interface SlaKpiRow {
  ticket_id: string;
  response_state: string | null;
  resolution_state: string | null;
}

/** The SLA side of the KPI facts, as a subquery for the kpis module to compose (read only): all, or `ids`. */
export function slaKpiSource(ids: readonly string[] | null): RawBuilder<SlaKpiRow> {
  return sql<SlaKpiRow>`SELECT s.ticket_id, s.response_state, s.resolution_state FROM ticket_sla s
    ${ids ? sql`WHERE s.ticket_id = ANY(${ids}::uuid[])` : sql``}`;
}
