import type { Db } from '../../platform/context.js';
import { changeKey } from './conflicts.js';

/** A closed change with its recorded outcome, as the change success rate counts it. */
export interface ChangeOutcome {
  id: string;
  key: string;
  title: string;
  teamId: string | null;
  /** When it was closed (changes.closed_at: a later edit of a closed change does not move it). */
  at: Date;
  successful: boolean;
}

/** Closed changes with an outcome, closed in [start, end) (for the kpis module; read only). */
export async function changeOutcomes(db: Db, start: Date, end: Date): Promise<ChangeOutcome[]> {
  const rows = await db
    .selectFrom('changes')
    .select(['id', 'number', 'title', 'team_id', 'closed_at', 'outcome'])
    .where('status', '=', 'closed')
    .where('outcome', 'is not', null)
    .where('closed_at', '>=', start)
    .where('closed_at', '<', end)
    .orderBy('closed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: changeKey(r.number),
    title: r.title,
    teamId: r.team_id,
    at: r.closed_at!,
    successful: r.outcome === 'successful',
  }));
}
