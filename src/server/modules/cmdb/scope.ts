/**
 * What a business service needs, as a graph: every item it depends on directly or through other items, and the
 * relationships that make it so. Read-only, for disaster-recovery plans (their recovery order and their scope).
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** An item in a service's scope. */
export interface ScopeItem {
  id: string;
  name: string;
  kind: string;
  className: string;
  status: string;
  /** Bumped by every change to the item: a plan compares it with what its last drill saw. */
  version: number;
}

/** `fromId` needs `toId` (it depends on, runs on or is installed on it, or `toId` is used by it). */
export interface ScopeEdge {
  id: string;
  fromId: string;
  toId: string;
  type: string;
}

/** A service's scope: the service itself and what it needs, and the relationships between them. */
export interface ServiceScope {
  service: ScopeItem;
  items: ScopeItem[];
  edges: ScopeEdge[];
}

/**
 * The scope of service `serviceId`, or undefined when it is not an item of a service class. One recursive walk,
 * following "depends on", "runs on" and "installed on" outwards and "used by" inwards, as
 * {@link serviceDependencies} does; a cycle ends the walk (UNION keeps each item once). Read in `db`, so a
 * caller can read it in its own transaction.
 */
export async function serviceScope(db: Db, serviceId: string): Promise<ServiceScope | undefined> {
  return (await serviceScopes(db, [serviceId])).get(serviceId);
}

/**
 * The scopes of several services at once, by service id (services that are not of a service class are
 * missing): the same walk as {@link serviceScope}, carrying its starting service, so a list of plans costs two
 * queries however many plans it shows.
 */
export async function serviceScopes(
  db: Db,
  serviceIds: readonly string[],
): Promise<Map<string, ServiceScope>> {
  const out = new Map<string, ServiceScope>();
  if (serviceIds.length === 0) return out;
  const edges = sql`SELECT id, from_id AS a, to_id AS b, type FROM ci_relationships
      WHERE type IN ('depends_on', 'runs_on', 'installed_on')
    UNION ALL
    SELECT id, to_id, from_id, type FROM ci_relationships WHERE type = 'used_by'`;
  const rows = (
    await sql<ScopeItem & { root: string }>`WITH RECURSIVE walk (root, id) AS (
        SELECT c.id, c.id FROM cis c JOIN ci_classes k ON k.key = c.class_key
        WHERE c.id = ANY(${[...serviceIds]}::uuid[]) AND k.kind = 'service'
        UNION
        SELECT w.root, e.b FROM walk w JOIN (${edges}) e ON e.a = w.id
      )
      SELECT w.root, c.id, c.name, k.kind, k.name AS "className", c.status, c.version
      FROM walk w JOIN cis c ON c.id = w.id JOIN ci_classes k ON k.key = c.class_key
      ORDER BY c.name, c.id`.execute(db)
  ).rows;
  const ids = [...new Set(rows.map((r) => r.id))];
  const rels = (
    await sql<ScopeEdge>`SELECT e.id, e.a AS "fromId", e.b AS "toId", e.type FROM (${edges}) e
      WHERE e.a = ANY(${ids}::uuid[]) ORDER BY e.id`.execute(db)
  ).rows;
  for (const root of serviceIds) {
    const items = rows.filter((r) => r.root === root).map(({ root: _, ...i }) => i);
    const service = items.find((i) => i.id === root);
    if (!service) continue;
    const inScope = new Set(items.map((i) => i.id));
    out.set(root, { service, items, edges: rels.filter((e) => inScope.has(e.fromId)) });
  }
  return out;
}
