/**
 * `npm run bench:cmdb`: the CMDB at size, through the HTTP API of a real server (Fastify inject).
 *
 * Loads (set-based SQL, load.ts) 100,000 items and about 1,000,000 relationships, as a dense random graph
 * (`--graph random`, the worst case for impact analysis) or as a layered estate (`--graph layered`), then
 * measures impact analysis to depth 5 (dependents), the filtered item list and search, and agent report
 * ingestion (8 agents at a time, each report with 1,500 software entries: first reports of new machines, then
 * repeated reports with 1 % of the software changed, then identical ones). The reference in the same run:
 * GET /api/health (one round trip).
 *
 *   npm run bench:cmdb -- [--db postgres|pglite] [--graph random|layered] [--items 100000] [--edges 1000000]
 *                         [--reports 200] [--doc]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { AgentReport } from '../../src/contracts/index.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { benchServer, benchAdminToken, scratchDatabase, writeBenchmarkSection } from '../support.js';
import { type Graph, loadInventory } from './load.js';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    graph: { type: 'string', default: 'random' },
    items: { type: 'string', default: '100000' },
    edges: { type: 'string', default: '1000000' },
    reports: { type: 'string', default: '200' },
    doc: { type: 'boolean', default: false },
  },
});
const kind = a.db === 'pglite' ? 'pglite' : 'postgres';
if (a.graph !== 'random' && a.graph !== 'layered') throw new Error('--graph is random or layered');
const graph: Graph = a.graph;
const ITEMS = Number(a.items);
const EDGES = Number(a.edges);
const REPORTS = Number(a.reports);
const log = (s: string) => process.stderr.write(`${s}\n`);

const dir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'steward-bench-cmdb-')) : undefined;
const database = await openDatabase({
  databaseUrl:
    kind === 'postgres'
      ? await scratchDatabase(graph === 'random' ? 'steward_bench_cmdb' : 'steward_bench_cmdb_layered')
      : undefined,
  dataDir: join(dir ?? tmpdir(), 'db'),
  poolSize: 10,
});
const server = await benchServer(database, dir ?? tmpdir());
const db = database.db;

const have = Number(
  (await sql<{ n: string }>`SELECT count(*)::text AS n FROM cis WHERE name LIKE 'bench %'`.execute(db))
    .rows[0]!.n,
);
let loadSeconds = 0;
// What an earlier run's agents reported is not part of the loaded inventory.
await sql`DELETE FROM cis WHERE name NOT LIKE 'bench %'`.execute(db);
await sql`TRUNCATE agents, agent_enrolment_tokens`.execute(db);
const related = Number(
  (
    await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM (SELECT 1 FROM ci_relationships LIMIT 1) r`.execute(db)
  ).rows[0]!.n,
);
if (have !== ITEMS || related === 0) {
  log(`loading ${ITEMS} items (${graph})`);
  const t0 = performance.now();
  await loadInventory(db, graph, ITEMS, EDGES);
  loadSeconds = (performance.now() - t0) / 1000;
}
const edges = Number(
  (await sql<{ n: string }>`SELECT count(*)::text AS n FROM ci_relationships`.execute(db)).rows[0]!.n,
);

const token = await benchAdminToken(server);
const get = async (url: string) => {
  const t = performance.now();
  const r = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  return { ms: performance.now() - t, body: r.json<Record<string, unknown>>() };
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const ids = (
  await sql<{ id: string }>`SELECT id FROM cis ORDER BY hashtext(id::text) LIMIT 300`.execute(db)
).rows.map((r) => r.id);
async function latency(name: string, urls: string[]) {
  for (const u of urls.slice(0, 20)) await get(u);
  const times: number[] = [];
  const sizes: number[] = [];
  for (const u of urls) {
    const r = await get(u);
    times.push(r.ms);
    if (Array.isArray(r.body.nodes)) sizes.push(r.body.nodes.length);
  }
  const avg = sizes.length
    ? ` (${Math.round(sizes.reduce((x, y) => x + y, 0) / sizes.length)} items on average)`
    : '';
  return `| ${name}${avg} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${pct(times, 99).toFixed(1)} |`;
}
const load0 = loadavg()[0]!.toFixed(2);
log('measuring latency');
const rows = [
  await latency(
    'reference: GET /api/health',
    ids.map(() => '/api/health'),
  ),
  await latency(
    'impact analysis, dependents, depth 5',
    ids.map((id) => `/api/v1/cis/${id}/impact?direction=dependents&depth=5`),
  ),
  await latency(
    'impact analysis, both directions, depth 3',
    ids.map((id) => `/api/v1/cis/${id}/impact?direction=both&depth=3`),
  ),
  await latency(
    'items: class laptop, deployed (50)',
    ids.map(() => '/api/v1/cis?classKey=laptop&status=deployed&limit=50'),
  ),
  await latency(
    'items: warranty ending before a date, servers',
    ids.map(() => '/api/v1/cis?classKey=server&warrantyBefore=2026-06-01&limit=50'),
  ),
  await latency(
    'items: search by asset tag',
    ids.map((_, i) => `/api/v1/cis?q=B-${1 + ((i * 7919) % ITEMS)}`),
  ),
  await latency(
    'items: search by part of a name (trigram index)',
    ids.map((_, i) => `/api/v1/cis?q=${1000 + ((i * 7919) % 9000)}&limit=50`),
  ),
];

log('measuring agent reports');
const enrol = await server.app.inject({
  method: 'POST',
  url: '/api/v1/agents/enrolment-tokens',
  payload: { uses: REPORTS, expiresInHours: 1 },
  headers: { authorization: `Bearer ${token}` },
});
const enrolment = enrol.json<{ token: string }>().token;
const stamp = Date.now();
const agents: { token: string; report: AgentReport }[] = [];
for (let i = 0; i < REPORTS; i++) {
  const uuid = `bench-${stamp}-${i}`;
  const r = await server.app.inject({
    method: 'POST',
    url: '/api/v1/agents/enrol',
    payload: { enrolmentToken: enrolment, hostname: `pc${i}`, systemUuid: uuid },
  });
  agents.push({
    token: r.json<{ token: string }>().token,
    report: {
      hostname: `pc${i}.bench.example`,
      system: { manufacturer: 'Bench', model: 'B1', serial: `BS-${stamp}-${i}`, uuid, kind: 'laptop' },
      cpu: { manufacturer: 'Intel', brand: 'Core', cores: 8 },
      memoryBytes: 16 * 2 ** 30,
      disks: [{ name: 'nvme0n1', type: 'SSD', sizeBytes: 512e9 }],
      network: [
        {
          iface: 'eth0',
          mac: `02:be:${[i >> 16, (i >> 8) & 255, i & 255, 1].map((x) => x.toString(16).padStart(2, '0')).join(':')}`,
          ipv4: ['10.1.0.1'],
        },
      ],
      os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1', arch: 'x64' },
      software: Array.from({ length: 1500 }, (_, k) => ({
        name: `package-${k}`,
        version: `${1 + (k % 9)}.${k % 13}`,
      })),
      peripherals: [],
    },
  });
}
/** Waits until the audit sealer has chained every entry, so one phase's backlog is not measured in the next. */
async function sealed() {
  for (;;) {
    const n = Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE seq IS NULL`.execute(db))
        .rows[0]!.n,
    );
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function ingest(label: string, change: (r: AgentReport, i: number) => AgentReport) {
  await sealed();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < agents.length) {
        const i = next++;
        const ag = agents[i]!;
        ag.report = change(ag.report, i);
        const r = await server.app.inject({
          method: 'POST',
          url: '/api/v1/agents/report',
          payload: ag.report,
          headers: { authorization: `Bearer ${ag.token}` },
        });
        if (r.statusCode !== 200) throw new Error(`report: ${r.statusCode} ${r.body.slice(0, 200)}`);
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  return `| ${label} | ${agents.length} | ${s.toFixed(1)} | **${(agents.length / s).toFixed(0)}** |`;
}
const ingestRows = [
  await ingest('first report of a new machine (1,500 installations created)', (r) => r),
  await ingest('the next report, 1 % of the software changed (15 updated, 15 new)', (r, i) => ({
    ...r,
    software: r.software.map((s, k) => (k % 100 === i % 100 ? { ...s, version: `${s.version}.1` } : s)),
  })),
  await ingest('an identical report', (r) => r),
];
const load1 = loadavg()[0]!.toFixed(2);

const section = [
  `### ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}, ${graph} graph: ${ITEMS.toLocaleString('en')} items, ${edges.toLocaleString('en')} relationships`,
  '',
  `Command: \`npm run bench:cmdb -- --db ${kind} --graph ${graph}\`, ${new Date().toISOString().slice(0, 16)}Z; ${cpus().length} cores; load ${load0} → ${load1}; ${loadSeconds > 0 ? `bulk load ${loadSeconds.toFixed(0)} s` : 'loaded by an earlier run'}. ${ids.length} requests per line, one at a time, through Fastify's inject, random items; impact answers stop at 5,000 items (\`truncated\`).`,
  '',
  '| request | p50 ms | p95 ms | p99 ms |',
  '|---|---:|---:|---:|',
  ...rows,
  '',
  "Agent reports, 8 at a time, each with 1,500 software entries (each phase starts once the audit sealer has chained the previous one's entries):",
  '',
  '| report | reports | seconds | reports/s |',
  '|---|---:|---:|---:|',
  ...ingestRows,
  '',
].join('\n');
process.stdout.write(`${section}\n`);
if (a.doc) {
  writeBenchmarkSection(`bench:cmdb ${kind} ${graph}`, section);
  log('written to docs/BENCHMARKS.md');
}
await server.close();
await database.close();
if (dir) rmSync(dir, { recursive: true, force: true });
