/**
 * The inventories `npm run bench:cmdb` measures, loaded with set-based SQL (items named `bench <n>`):
 *
 * - `random`: every relationship joins two random items (depends_on or runs_on): a dense random graph, the
 *   worst case for impact analysis, since five steps from any item reach most of the graph.
 * - `layered`: an estate as IT runs one: storage and network devices, hosts, virtual machines, desktops and
 *   laptops, services running on VMs and depending on each other, and software installations in clusters of 90
 *   per computer, each depending on about ten others of its computer (as packages depend on libraries).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/server/db/schema.js';

/** Which inventory. */
export type Graph = 'random' | 'layered';

/** How many items of the layered estate are of each class, per 100,000 (in this order of numbers). */
const LAYERS: [string, number][] = [
  ['storage_device', 100],
  ['network_device', 100],
  ['server', 500],
  ['virtual_machine', 4_000],
  ['desktop', 2_100],
  ['laptop', 2_100],
  ['service', 1_100],
  ['software_installation', 90_000],
];
/** Installations per computer that has any, and the dependencies of each within its computer. */
const CLUSTER = 90;
const DEPS = 10;

/** Loads `items` items and (for `random`) about `edges` relationships; returns the number of relationships. */
export async function loadInventory(
  db: Kysely<DB>,
  graph: Graph,
  items: number,
  edges: number,
): Promise<void> {
  await sql`TRUNCATE cis, agents, agent_enrolment_tokens CASCADE`.execute(db);
  // Class boundaries by item number (1-based, inclusive upper bounds).
  const bounds: { key: string; last: number }[] = [];
  let last = 0;
  for (const [key, per] of LAYERS) bounds.push({ key, last: (last += Math.round((per * items) / 100_000)) });
  const classOf =
    graph === 'random'
      ? sql`CASE WHEN i % 50 = 0 THEN 'service' WHEN i % 10 = 1 THEN 'server' WHEN i % 10 = 2 THEN 'virtual_machine'
             WHEN i % 10 IN (3, 4) THEN 'laptop' WHEN i % 10 = 5 THEN 'desktop' ELSE 'software_installation' END`
      : sql`CASE ${sql.join(
          bounds.map((b) => sql`WHEN i <= ${b.last} THEN ${b.key}`),
          sql` `,
        )} ELSE 'software_installation' END`;
  await sql`INSERT INTO cis (class_key, name, asset_tag, serial, status, custom, warranty_end)
    SELECT cls, 'bench ' || i, 'B-' || i, 'SN' || i,
      (ARRAY['deployed', 'deployed', 'deployed', 'in_stock', 'in_repair', 'retired'])[1 + i % 6],
      CASE WHEN cls = 'software_installation'
        THEN jsonb_build_object('product', 'pkg' || (i % 3000), 'version', '1.' || (i % 7)) ELSE '{}'::jsonb END,
      DATE '2026-01-01' + (i % 1000)
    FROM (SELECT i, ${classOf} AS cls FROM generate_series(1, ${items}::int) AS i) g`.execute(db);
  // One connection for the numbered-id table (a temporary table is the connection's own).
  await db.connection().execute(async (c) => {
    await sql`CREATE TEMP TABLE ids AS SELECT substr(name, 7)::int AS n, id FROM cis`.execute(c);
    await sql`CREATE UNIQUE INDEX ON ids (n)`.execute(c);
    if (graph === 'random') {
      await sql`INSERT INTO ci_relationships (from_id, type, to_id)
        SELECT DISTINCT a.id, CASE WHEN g % 2 = 0 THEN 'depends_on' ELSE 'runs_on' END, b.id
        FROM generate_series(1, ${edges}::int) AS g
        JOIN ids a ON a.n = 1 + (hashint4(g) & 2147483647) % ${items}
        JOIN ids b ON b.n = 1 + (hashint4(g * 7 + 3) & 2147483647) % ${items}
        WHERE a.id <> b.id
        ON CONFLICT DO NOTHING`.execute(c);
    } else {
      const at = (key: string) => {
        const k = bounds.findIndex((b) => b.key === key);
        return {
          first: (k === 0 ? 0 : bounds[k - 1]!.last) + 1,
          count: bounds[k]!.last - (k === 0 ? 0 : bounds[k - 1]!.last),
        };
      };
      const [storage, network, hosts, vms, services, installs] = [
        at('storage_device'),
        at('network_device'),
        at('server'),
        at('virtual_machine'),
        at('service'),
        at('software_installation'),
      ];
      const computers = { first: hosts.first, count: at('laptop').first + at('laptop').count - hosts.first };
      // "n-th of a layer", spread by a hash so that neighbours do not share everything.
      const pick = (layer: { first: number; count: number }, seed: ReturnType<typeof sql>) =>
        sql`${layer.first}::int + (hashint4(${seed}) & 2147483647) % ${layer.count}::int`;
      const rel = async (
        type: string,
        from: ReturnType<typeof sql>,
        to: ReturnType<typeof sql>,
        rows: ReturnType<typeof sql>,
      ) =>
        sql`INSERT INTO ci_relationships (from_id, type, to_id)
          SELECT DISTINCT a.id, ${type}::text, b.id FROM (SELECT i, k FROM ${rows}) s JOIN ids a ON a.n = ${from} JOIN ids b ON b.n = ${to}
          WHERE a.id <> b.id ON CONFLICT DO NOTHING`.execute(c);
      const series = (layer: { first: number; count: number }, per = 1) =>
        sql`generate_series(${layer.first}::int, ${layer.first + layer.count - 1}::int) AS i, generate_series(1, ${per}::int) AS k`;
      await rel('runs_on', sql`i`, pick(hosts, sql`i`), series(vms));
      await rel('depends_on', sql`i`, pick(storage, sql`i * 31 + k`), series(vms, 2));
      await rel('depends_on', sql`i`, pick(storage, sql`i * 17 + k`), series(hosts, 2));
      await rel('connected_to', sql`i`, pick(network, sql`i * 13 + k`), series(computers, 2));
      await rel('runs_on', sql`i`, pick(vms, sql`i * 7 + k`), series(services, 3));
      await rel('depends_on', sql`i`, pick(services, sql`i * 11 + k`), series(services, 2));
      await rel('backs_up', pick(storage, sql`i`), sql`i`, series(hosts));
      // Installations in clusters: cluster c lives on one computer, and each depends on DEPS of its own.
      const cluster = sql`(i - ${installs.first}) / ${CLUSTER}`;
      await rel('installed_on', sql`i`, pick(computers, cluster), series(installs));
      await rel(
        'depends_on',
        sql`i`,
        sql`${installs.first} + ${cluster} * ${CLUSTER} + (hashint4(i * 101 + k) & 2147483647) % ${CLUSTER}`,
        series(installs, DEPS),
      );
    }
    await sql`DROP TABLE ids`.execute(c);
  });
  // What autovacuum would have done by the time anyone asks: statistics, and the visibility map that lets
  // index-only scans skip the rows.
  await sql`VACUUM ANALYZE cis`.execute(db);
  await sql`VACUUM ANALYZE ci_relationships`.execute(db);
}
