import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { escapeLike } from '../../platform/sql.js';
import { CI_COLS, type CiRow } from './cmdb.repository.js';

/**
 * A page of a computer's software installations (installed_on it), by name then id, after the keyset position
 * `after` = [lower(name), id]; `q` matches any part of the name. A computer with 800 programs reads a page at
 * a time, on the relationships' (to_id, type, from_id) index.
 */
export async function softwarePage(
  db: Db,
  computerId: string,
  q: string | undefined,
  after: [string, string] | undefined,
  limit: number,
): Promise<CiRow[]> {
  const w = [
    sql`c.id IN (SELECT r.from_id FROM ci_relationships r WHERE r.to_id = ${computerId} AND r.type = 'installed_on')`,
  ];
  if (q) w.push(sql`lower(c.name) LIKE ${`%${escapeLike(q.toLowerCase())}%`}`);
  if (after) w.push(sql`(lower(c.name), c.id) > (${after[0]}, ${after[1]}::uuid)`);
  return (
    await sql<CiRow>`SELECT ${CI_COLS} FROM cis c WHERE ${sql.join(w, sql` AND `)}
      ORDER BY lower(c.name), c.id LIMIT ${limit}`.execute(db)
  ).rows;
}
