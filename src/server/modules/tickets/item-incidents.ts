/**
 * Open incidents on any of a set of items, in one query (change management's risk asks it for every affected
 * item of a change at once). Steward's own reading: every ticket, for a signal, never shown as tickets.
 */
import { TICKET_PREFIX } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** The keys (`INC-42`) of open incidents linked to any of `ciIds`, lowest number first, at most `limit`. */
export async function openIncidentKeysOn(db: Db, ciIds: readonly string[], limit = 50): Promise<string[]> {
  if (ciIds.length === 0) return [];
  const rows = await db
    .selectFrom('tickets as t')
    .select('t.number')
    .where('t.type', '=', 'incident')
    .where('t.status', 'in', ['new', 'assigned', 'in_progress', 'pending'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('ticket_cis as tc')
          .select('tc.ticket_id')
          .whereRef('tc.ticket_id', '=', 't.id')
          .where('tc.ci_id', 'in', ciIds),
      ),
    )
    .orderBy('t.number')
    .limit(limit)
    .execute();
  return rows.map((r) => `${TICKET_PREFIX.incident}-${r.number}`);
}
