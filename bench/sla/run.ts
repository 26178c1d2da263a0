/**
 * `npm run bench:sla`: recomputing the SLA projection of 100,000 open tickets after a calendar change.
 *
 * Loads (set-based SQL) N open tickets with realistic histories: created over the last 30 days, priorities
 * 1–5, and for most of them an assignment, work started, and for a third a pending spell on the requester
 * or a vendor (a pause) that ended. Then an office-hours calendar (Europe/Berlin, holidays) and policies
 * for incidents and requests. Measured: the recompute job's work (`recomputeAll`) after the calendar gains
 * a holiday, and as the reference in the same run, reading the same histories with one plain query (the
 * database's floor for any recompute from history).
 *
 *   npm run bench:sla -- [--db postgres|pglite] [--tickets 100000] [--doc]
 *
 * PostgreSQL: database `steward_bench_sla` on TEST_DATABASE_URL's server (default 127.0.0.1:5432), loaded
 * once and reused. PGlite: a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { benchServer, scratchDatabase, writeBenchmarkSection } from '../support.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { recomputeAll } from '../../src/server/modules/sla/index.js';
import { createCalendar, createPolicy, updateCalendar } from '../../src/server/modules/sla/sla.service.js';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    tickets: { type: 'string', default: '100000' },
    doc: { type: 'boolean', default: false },
  },
});
const kind = a.db === 'pglite' ? 'pglite' : 'postgres';
const N = Number(a.tickets);
const log = (s: string) => process.stderr.write(`${s}\n`);

const databaseUrl = kind === 'postgres' ? await scratchDatabase('steward_bench_sla') : undefined;
const dir = mkdtempSync(join(tmpdir(), 'steward-bench-sla-'));
const database = await openDatabase({ databaseUrl, dataDir: join(dir, 'db'), poolSize: 10 });
const server = await benchServer(database, dir);
const db = database.db;
const system = { userId: null, role: 'admin', label: 'bench', via: 'system' } as const;

const live = Number(
  (
    await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM tickets WHERE status NOT IN ('closed', 'cancelled')`.execute(db)
  ).rows[0]!.n,
);
let loadSeconds = 0;
if (live !== N) {
  log(`loading ${N} open tickets with histories`);
  const t0 = performance.now();
  await sql`TRUNCATE tickets, ticket_sla, sla_policies, sla_calendars CASCADE`.execute(db);
  await sql`INSERT INTO users (email, name, role) VALUES ('requester@bench.example', 'Requester', 'requester')
    ON CONFLICT DO NOTHING`.execute(db);
  const requester = (
    await sql<{ id: string }>`SELECT id FROM users WHERE email = 'requester@bench.example'`.execute(db)
  ).rows[0]!.id;
  const step = 10_000;
  for (let from = 1; from <= N; from += step) {
    const to = Math.min(N, from + step - 1);
    await db.transaction().execute(async (tx) => {
      // Ticket i: created i*26 s before now (30 days spread), priority 1..5, a status by i % 10.
      await sql`INSERT INTO tickets (type, number, title, description, requester_id, impact, urgency, priority,
          status, pending_reason, created_at, updated_at)
        SELECT CASE WHEN i % 3 = 0 THEN 'request' ELSE 'incident' END, i, 'bench ticket ' || i, '',
          ${requester}::uuid, 3, 3, 1 + i % 5,
          CASE WHEN i % 10 < 1 THEN 'new' WHEN i % 10 < 8 THEN 'in_progress' ELSE 'pending' END,
          CASE WHEN i % 10 >= 8 THEN (CASE WHEN i % 2 = 0 THEN 'vendor' ELSE 'requester' END) END,
          now() - make_interval(secs => i * 26), now()
        FROM generate_series(${from}::int, ${to}::int) AS i`.execute(tx);
      await sql`INSERT INTO ticket_events (ticket_id, actor_label, kind, field, old_value, new_value, at)
        SELECT t.id, 'bench', 'created', NULL, NULL,
          jsonb_build_object('status', 'new', 'priority', t.priority, 'priorityOverridden', false), t.created_at
        FROM tickets t WHERE t.number BETWEEN ${from} AND ${to}`.execute(tx);
      // Work started an hour in; a third went pending for a day and came back; the pending ones are pending now.
      await sql`INSERT INTO ticket_events (ticket_id, actor_label, kind, field, old_value, new_value, at)
        SELECT t.id, 'bench', 'status', 'status', '"new"', '"in_progress"', t.created_at + interval '1 hour'
        FROM tickets t WHERE t.number BETWEEN ${from} AND ${to} AND t.status <> 'new'`.execute(tx);
      await sql`INSERT INTO ticket_events (ticket_id, actor_label, kind, field, old_value, new_value, at)
        SELECT t.id, 'bench', e.kind, e.field, e.o::jsonb, e.n::jsonb, t.created_at + e.after
        FROM tickets t, LATERAL (VALUES
          ('field', 'pendingReason', 'null', '"vendor"', interval '2 hours'),
          ('status', 'status', '"in_progress"', '"pending"', interval '2 hours 1 second'),
          ('field', 'pendingReason', '"vendor"', 'null', interval '26 hours'),
          ('status', 'status', '"pending"', '"in_progress"', interval '26 hours 1 second')) AS e(kind, field, o, n, after)
        WHERE t.number BETWEEN ${from} AND ${to} AND t.status = 'in_progress' AND t.number % 3 = 0
          AND t.created_at + e.after < now()`.execute(tx);
      await sql`INSERT INTO ticket_events (ticket_id, actor_label, kind, field, old_value, new_value, at)
        SELECT t.id, 'bench', e.kind, e.field, e.o::jsonb, e.n::jsonb, t.created_at + e.after
        FROM tickets t, LATERAL (VALUES
          ('field', 'pendingReason', 'null', to_jsonb(t.pending_reason)::text, interval '3 hours'),
          ('status', 'status', '"in_progress"', '"pending"', interval '3 hours 1 second')) AS e(kind, field, o, n, after)
        WHERE t.number BETWEEN ${from} AND ${to} AND t.status = 'pending'`.execute(tx);
    });
    log(`  ${to} tickets`);
  }
  await sql`ANALYZE`.execute(db);
  loadSeconds = (performance.now() - t0) / 1000;
}

const week = [[], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 960]], []] as [
  number,
  number,
][][];
const holidays = [
  { date: '2026-12-24', hours: [[480, 720]] as [number, number][] },
  { date: '2026-12-25' },
  { date: '2026-12-26' },
  { date: '2027-01-01' },
];
await sql`TRUNCATE ticket_sla, sla_policies, sla_calendars CASCADE`.execute(db);
const cal = await createCalendar(server.ctx, system, {
  name: 'Berlin office',
  timezone: 'Europe/Berlin',
  week,
  holidays,
});
for (const ticketType of ['incident', 'request'] as const) {
  await createPolicy(server.ctx, system, {
    name: `${ticketType} policy`,
    ticketType,
    calendarId: cal.id,
    targets: Object.fromEntries(
      [1, 2, 3, 4, 5].map((p) => [
        String(p),
        { firstResponseMinutes: 60 * (6 - p), resolutionMinutes: 480 * (6 - p) },
      ]),
    ),
    pauseOn: ['requester', 'vendor'],
    warnShare: 0.75,
    warningActions: [],
    breachActions: [],
    enabled: true,
  });
}
await sql`DELETE FROM jobs WHERE name = 'sla.recompute'`.execute(db);
log('first computation');
let t0 = performance.now();
const first = await recomputeAll(server.ctx, null);
const firstSeconds = (performance.now() - t0) / 1000;

log('calendar change, then recompute');
const load0 = loadavg()[0]!.toFixed(2);
await updateCalendar(server.ctx, system, cal.id, 1, {
  holidays: [...holidays, { date: new Date().toISOString().slice(0, 10) }],
});
t0 = performance.now();
const again = await recomputeAll(server.ctx, null);
const againSeconds = (performance.now() - t0) / 1000;

log('reference: reading the same histories with one query');
t0 = performance.now();
const ref = await sql<{ ticket_id: string }>`
  SELECT e.ticket_id, e.kind, e.field, e.new_value, e.at FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id
  WHERE t.status NOT IN ('closed', 'cancelled')
    AND (e.kind IN ('created', 'status', 'routing') OR (e.kind = 'field' AND e.field IN ('priority', 'pendingReason')))
  ORDER BY e.ticket_id, e.seq`.execute(db);
const refSeconds = (performance.now() - t0) / 1000;
const events = ref.rows.length;
const load1 = loadavg()[0]!.toFixed(2);
const states = await sql<{ s: string | null; n: string }>`SELECT resolution_state AS s, count(*)::text AS n
  FROM ticket_sla GROUP BY 1 ORDER BY 2 DESC`.execute(db);

const section = [
  `### ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${again.toLocaleString('en')} open tickets, ${events.toLocaleString('en')} history events`,
  '',
  `Command: \`npm run bench:sla -- --db ${kind}${a.tickets !== '100000' ? ` --tickets ${N}` : ''}\`, ${new Date().toISOString().slice(0, 16)}Z; ${cpus().length} cores; load ${load0} → ${load1}; ${loadSeconds > 0 ? `bulk load ${loadSeconds.toFixed(0)} s` : 'tickets loaded by an earlier run'}.`,
  '',
  '| step | tickets | seconds | tickets/s | vs reference |',
  '|---|---:|---:|---:|---:|',
  `| reference: fetch every open ticket's history (one query, rows to the server) | ${again} | ${refSeconds.toFixed(2)} | ${(again / refSeconds).toFixed(0)} | 1.0× |`,
  `| first computation (policies just created) | ${first} | ${firstSeconds.toFixed(2)} | ${(first / firstSeconds).toFixed(0)} | ${(firstSeconds / refSeconds).toFixed(1)}× |`,
  `| **recompute after a calendar change** | ${again} | **${againSeconds.toFixed(2)}** | ${(again / againSeconds).toFixed(0)} | ${(againSeconds / refSeconds).toFixed(1)}× |`,
  '',
  `Resolution clocks after the recompute: ${states.rows.map((r) => `${r.s ?? 'none'} ${Number(r.n).toLocaleString('en')}`).join(', ')}.`,
  '',
].join('\n');
process.stdout.write(`${section}\n`);
if (a.doc) {
  writeBenchmarkSection(`bench:sla ${kind}`, section);
  log('written to docs/BENCHMARKS.md');
}
await server.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
