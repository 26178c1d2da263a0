/**
 * What change management asks the CMDB: the items around the items a change works on (impact analysis for
 * risk and collisions), read-only, so that the CMDB's tables stay written by the CMDB alone.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** An item near a change's items: `downstream` depends on them (affected if they fail), `upstream` they rely on. */
export interface ScopeNeighbour {
  id: string;
  name: string;
  kind: string;
  ownerId: string | null;
  side: 'self' | 'downstream' | 'upstream';
  depth: number;
}

/**
 * The items `ids` themselves and those up to `depth` relationships away: downstream follows relationships into
 * an item (what points at it: an application that runs on a server), upstream follows them out. One recursive
 * query per side; each item is kept once at its shortest distance (cycles end the walk). Retired and disposed
 * items are left out.
 */
export async function changeNeighbours(db: Db, ids: readonly string[], depth = 3): Promise<ScopeNeighbour[]> {
  if (ids.length === 0) return [];
  const list = sql.join(ids.map((id) => sql`${id}::uuid`));
  const rows = await sql<ScopeNeighbour>`WITH RECURSIVE down (id, depth) AS (
        SELECT unnest(ARRAY[${list}]), 0
        UNION
        SELECT r.from_id, d.depth + 1 FROM down d JOIN ci_relationships r ON r.to_id = d.id
        WHERE d.depth < ${depth}
      ), up (id, depth) AS (
        SELECT unnest(ARRAY[${list}]), 0
        UNION
        SELECT r.to_id, u.depth + 1 FROM up u JOIN ci_relationships r ON r.from_id = u.id
        WHERE u.depth < ${depth}
      ), walked AS (
        SELECT id, 'downstream' AS side, min(depth) AS depth FROM down GROUP BY id
        UNION ALL
        SELECT id, 'upstream', min(depth) FROM up GROUP BY id
      ), best AS (
        SELECT DISTINCT ON (id) id, CASE WHEN depth = 0 THEN 'self' ELSE side END AS side, depth
        FROM walked ORDER BY id, depth, side
      )
      SELECT c.id, c.name, k.kind, c.owner_id AS "ownerId", b.side, b.depth::int AS depth
      FROM best b JOIN cis c ON c.id = b.id JOIN ci_classes k ON k.key = c.class_key
      WHERE c.status NOT IN ('retired', 'disposed') OR b.depth = 0
      ORDER BY b.depth, c.name, c.id`.execute(db);
  return rows.rows;
}
