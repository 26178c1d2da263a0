import { sql, type RawBuilder } from 'kysely';

/** Escapes LIKE/ILIKE wildcards (`%`, `_`, `\`) in user input, so it matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A timestamptz as ISO 8601 text to the microsecond, UTC: a keyset cursor's key (a JS Date keeps milliseconds,
 * and a cursor cut to them skips rows within one millisecond).
 */
export const isoMicros = (v: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
