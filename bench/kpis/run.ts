/**
 * `npm run bench:kpis`: every KPI of a 12-month dashboard (per month, the whole desk and one team) on 1,000,000
 * tickets, through the HTTP API of a real Steward server (in-process injection: routing, validation, auth).
 *
 * Loads (set-based SQL, generate_series) N tickets created over the last 13 months with statuses, first
 * responses, resolutions, CSAT ratings, SLA outcomes and links to business services, then rebuilds the KPI
 * facts and daily aggregates from scratch (timed). Measured: each KPI of the dashboard, p50/p95 over the
 * rounds; as references in the same run, a plain COUNT(*) over the tickets table and one KPI computed without
 * the aggregates (the resolution SLA over the per-ticket facts).
 *
 *   npm run bench:kpis -- [--tickets 1000000] [--rounds 30] [--doc]
 *
 * PostgreSQL: database `steward_bench_kpis` on TEST_DATABASE_URL's server (default 127.0.0.1:5432), loaded once
 * and reused while its row count matches.
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { KPI_KEYS } from '../../src/contracts/index.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { rebuildAll } from '../../src/server/modules/kpis/index.js';
import { benchServer, benchAdminToken, scratchDatabase, writeBenchmarkSection } from '../support.js';

const { values: a } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '30' },
    doc: { type: 'boolean', default: false },
  },
});
const N = Number(a.tickets);
const ROUNDS = Number(a.rounds);
const log = (s: string) => void process.stderr.write(`${s}\n`);

// A fixed folder: its master key seals the audit chain of the database the next run reuses.
const dir = join(tmpdir(), 'steward-bench-kpis');
mkdirSync(dir, { recursive: true });
const database = await openDatabase({
  databaseUrl: await scratchDatabase('steward_bench_kpis'),
  dataDir: join(dir, 'db'),
  poolSize: 10,
});
const server = await benchServer(database, dir);
const db = database.db;

const count = async (q: string) =>
  Number((await sql<{ n: string }>`${sql.raw(q)}`.execute(db)).rows[0]?.n ?? 0);

/** Loads the desk unless it is there: teams, services, a requester, tickets with SLA outcomes and links. */
async function load(): Promise<number | null> {
  if ((await count('SELECT count(*)::text AS n FROM tickets')) === N) return null;
  log(`loading ${N} tickets…`);
  await sql`TRUNCATE tickets, kpi_ticket_facts, kpi_daily, kpi_dirty CASCADE`.execute(db);
  await sql`INSERT INTO teams (name) SELECT 'Bench team ' || g FROM generate_series(0, 19) g
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO users (email, name, role) VALUES ('requester@bench.example', 'Rita Requester', 'requester')
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO cis (class_key, name) SELECT 'service', 'Bench service ' || g FROM generate_series(0, 9) g
    WHERE NOT EXISTS (SELECT 1 FROM cis WHERE name = 'Bench service 0')`.execute(db);
  const started = performance.now();
  const chunk = 100_000;
  for (let from = 1; from <= N; from += chunk) {
    const to = Math.min(N, from + chunk - 1);
    await sql`INSERT INTO tickets (type, number, title, requester_id, team_id, impact, urgency, priority, status,
        created_at, updated_at, first_response_at, resolved_at, closed_at, csat_rating)
      SELECT 'incident', g, 'Bench ticket ' || g, (SELECT id FROM users WHERE email = 'requester@bench.example'),
        (SELECT array_agg(id ORDER BY name) FROM teams WHERE name LIKE 'Bench team %')[1 + g % 20], 3, 3, 3, x.status,
        x.created, x.created + interval '2 hours', x.created + (h % 7) * interval '20 minutes',
        CASE WHEN x.status IN ('resolved', 'closed') THEN x.created + (1 + h % 50) * interval '1 hour' END,
        CASE WHEN x.status = 'closed' THEN x.created + interval '8 days' END,
        CASE WHEN x.status = 'closed' AND h % 4 = 0 THEN 1 + h % 5 END
      FROM generate_series(${from}::int, ${to}::int) g,
        LATERAL (SELECT (g::bigint * 7727) % 10007 % 100 AS h) hh,
        LATERAL (SELECT now() - (g::float8 / ${N}::float8) * interval '395 days' AS created,
          CASE WHEN h < 80 THEN 'closed' WHEN h < 88 THEN 'resolved' WHEN h < 92 THEN 'new'
               WHEN h < 97 THEN 'in_progress' ELSE 'cancelled' END AS status) x`.execute(db);
    log(`  ${to} tickets`);
  }
  await sql`SELECT setval('ticket_number_incident'::regclass, ${N}::bigint)`.execute(db);
  await sql`INSERT INTO ticket_sla (ticket_id, response_state, resolution_state, computed_at)
    SELECT id, CASE WHEN number % 10 = 0 THEN 'missed' ELSE 'met' END,
      CASE WHEN status IN ('resolved', 'closed') THEN CASE WHEN number % 7 = 0 THEN 'missed' ELSE 'met' END
           ELSE 'running' END, now()
    FROM tickets`.execute(db);
  await sql`INSERT INTO ticket_cis (ticket_id, ci_id)
    SELECT t.id, (SELECT array_agg(id ORDER BY name) FROM cis WHERE name LIKE 'Bench service %')[1 + t.number % 10]
    FROM tickets t WHERE t.number % 2 = 0`.execute(db);
  log(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; rebuilding the aggregates…`);
  const r = performance.now();
  await server.ctx.tx((tx) => rebuildAll(tx));
  await sql`ANALYZE`.execute(db);
  return performance.now() - r;
}

const rebuildMs = await load();
const token = await benchAdminToken(server);
const team = (await sql<{ id: string }>`SELECT id FROM teams WHERE name = 'Bench team 3'`.execute(db))
  .rows[0]!.id;
const today = new Date().toISOString().slice(0, 10);
const from = new Date(Date.UTC(new Date().getUTCFullYear() - 1, new Date().getUTCMonth() + 1, 1))
  .toISOString()
  .slice(0, 10);
const period = `from=${from}&to=${today}&granularity=month`;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const s = performance.now();
  await fn();
  return performance.now() - s;
}
const get = async (url: string) => {
  const r = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
};
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.ceil((p / 100) * xs.length) - 1]!;

const rows: { name: string; p50: number; p95: number }[] = [];
async function measure(name: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) xs.push(await time(fn));
  rows.push({ name, p50: pct(xs, 50), p95: pct(xs, 95) });
  log(`${name}: p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`);
}

for (const key of KPI_KEYS) await measure(key, () => get(`/api/v1/kpis/${key}?${period}`));
for (const key of ['sla_resolution', 'backlog', 'mttr'] as const) {
  await measure(`${key}, one team`, () => get(`/api/v1/kpis/${key}?${period}&teamId=${team}`));
}
await measure('whole dashboard (all 13 KPIs in parallel)', () =>
  Promise.all(KPI_KEYS.map((key) => get(`/api/v1/kpis/${key}?${period}`))),
);
const reference: { name: string; p50: number; p95: number }[] = [];
for (const [name, q] of [
  ['reference: SELECT count(*) FROM tickets', sql`SELECT count(*) FROM tickets`],
  [
    'reference: resolution SLA of 12 months without the aggregates (facts)',
    sql`SELECT date_trunc('month', resolved_at), count(*) FILTER (WHERE resolution_met IS NOT NULL),
      count(*) FILTER (WHERE resolution_met) FROM kpi_ticket_facts WHERE resolved_at >= ${from}::date GROUP BY 1`,
  ],
] as const) {
  await measure(name, () => q.execute(db));
  reference.push(rows.pop()!);
}

const worst = Math.max(...rows.filter((r) => !r.name.startsWith('whole')).map((r) => r.p95));
const facts = await count('SELECT count(*)::text AS n FROM kpi_ticket_facts');
const daily = await count('SELECT count(*)::text AS n FROM kpi_daily');
const table = [...rows, ...reference]
  .map((r) => `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`)
  .join('\n');
const section = `## KPIs of a 12-month dashboard (issue 28)

\`npm run bench:kpis -- --tickets ${N} --rounds ${ROUNDS}\` on PostgreSQL (${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}
at the end): ${N.toLocaleString('en')} tickets over 13 months (${facts.toLocaleString('en')} fact rows, ${daily.toLocaleString('en')}
daily aggregate rows: 20 teams × 10 services + none). Each request: \`GET /api/v1/kpis/<key>?from=${from}&to=${today}&granularity=month\`
through the server (in-process injection), ${ROUNDS} rounds after 3 warm-ups.${rebuildMs === null ? '' : ` Rebuilding the facts and aggregates from scratch took ${(rebuildMs / 1000).toFixed(0)} s.`}

| request | p50 ms | p95 ms |
|---|---|---|
${table}

Worst p95 of a KPI: **${worst.toFixed(1)} ms** (goal ≤ 200 ms).

`;
process.stdout.write(section);
if (a.doc) writeBenchmarkSection('bench:kpis', section);
await server.close();
await database.close();
