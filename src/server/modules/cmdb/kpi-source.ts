import { type RawBuilder, sql } from 'kysely';

/** The business service a ticket is counted under. */
export interface TicketServiceRow {
  ticket_id: string;
  service_id: string;
}

/**
 * Which business service each ticket counts under, as a subquery for the kpis module (read only): the first
 * item of a service class linked to the ticket (earliest link, then id), so a ticket counts under one service.
 */
export function ticketServiceSource(ids: readonly string[] | null): RawBuilder<TicketServiceRow> {
  return sql<TicketServiceRow>`SELECT DISTINCT ON (tc.ticket_id) tc.ticket_id, tc.ci_id AS service_id
    FROM ticket_cis tc JOIN cis c ON c.id = tc.ci_id JOIN ci_classes k ON k.key = c.class_key
    WHERE k.kind = 'service' ${ids ? sql`AND tc.ticket_id = ANY(${ids}::uuid[])` : sql``}
    ORDER BY tc.ticket_id, tc.created_at, tc.ci_id`;
}
