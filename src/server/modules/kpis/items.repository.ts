/**
 * The lists behind ticket KPIs: the facts that a figure counts, by the same conditions (definitions.ts), a keyset
 * page at a time (anchor moment, then ticket id), with the total.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';
import type { Anchor } from './definitions.js';
import { type Slice, sliceWhere } from './facts.repository.js';

/** One counted ticket: when it counted, whether it is a hit, its own measure. */
export interface FactRow {
  ticket_id: string;
  at: string;
  hit: boolean | null;
  measure: number | null;
}

/** Which facts a list holds: those at `anchor` in [start, end) meeting `when`; or the backlog at `end`. */
export type FactSet =
  | { kind: 'flow'; anchor: Anchor; when: RawBuilder<boolean>; start: Date; end: Date }
  | { kind: 'backlog'; end: Date };

function setWhere(set: FactSet): { where: RawBuilder<boolean>; at: RawBuilder<Date> } {
  if (set.kind === 'backlog') {
    return {
      where: sql<boolean>`created_at < ${set.end} AND (finished_at IS NULL OR finished_at >= ${set.end})`,
      at: sql<Date>`created_at`,
    };
  }
  const at = sql<Date>`${sql.ref(set.anchor)}`;
  return { where: sql<boolean>`${at} >= ${set.start} AND ${at} < ${set.end} AND (${set.when})`, at };
}

/** How many facts the set holds, and how many of them meet `hits`. */
export async function countFacts(
  db: Db,
  set: FactSet,
  slice: Slice,
  hits: RawBuilder<boolean> | null,
): Promise<{ total: number; hits: number | null }> {
  const { where } = setWhere(set);
  const r = await sql<{ total: number; hits: number | null }>`SELECT count(*)::int AS total,
      ${hits ? sql`(count(*) FILTER (WHERE ${hits}))::int` : sql`NULL`} AS hits
    FROM kpi_ticket_facts WHERE ${where} AND ${sliceWhere(slice)}`.execute(db);
  return r.rows[0] ?? { total: 0, hits: null };
}

/** A page of the set's facts (only hits when `onlyHits`), after the cursor position. */
export async function pageFacts(
  db: Db,
  set: FactSet,
  slice: Slice,
  opts: {
    hits: RawBuilder<boolean> | null;
    onlyHits: boolean;
    measure: RawBuilder<number> | null;
    after: [string, string] | undefined;
    limit: number;
  },
): Promise<FactRow[]> {
  const { where, at } = setWhere(set);
  const hitExpr = opts.hits ? sql`(${opts.hits})` : sql`NULL::boolean`;
  return (
    await sql<FactRow>`SELECT ticket_id, ${isoMicros(at)} AS at, ${hitExpr} AS hit,
        ${opts.measure ? sql`(${opts.measure})::float8` : sql`NULL::float8`} AS measure
      FROM kpi_ticket_facts
      WHERE ${where} AND ${sliceWhere(slice)} ${opts.onlyHits && opts.hits ? sql`AND (${opts.hits})` : sql``}
        ${opts.after ? sql`AND (${at}, ticket_id) > (${opts.after[0]}::timestamptz, ${opts.after[1]}::uuid)` : sql``}
      ORDER BY ${at}, ticket_id LIMIT ${opts.limit + 1}`.execute(db)
  ).rows;
}
