/**
 * `npm run bench:desk`: the service desk through the HTTP API of a real Steward server, on a bulk-loaded
 * desk: the agent's queue (three shapes), a requester's list, full-text search for a word in about 1,000
 * tickets, and ticket creation from 8 concurrent clients; and, in the same run, the server's static-JSON
 * ceiling (GET /api/health through the same hooks) as the reference.
 *
 *   npm run bench:desk -- [--db postgres|pglite] [--tickets 1000000] [--comments 3000000] [--requests 300]
 *                         [--doc] [--creation-only | --search-only]
 *
 * `--search-only` leaves out creation and adds the searches of issue 24 (prefixes, the global search box),
 * recorded in a section of their own, with the queue and the ceiling of the same run as references.
 *
 * PostgreSQL: database `steward_bench_desk` on TEST_DATABASE_URL's server (default 127.0.0.1:5432), loaded
 * once and reused while its row counts match. PGlite: a temporary folder. Latency figures use one client
 * (keep-alive), after a warm-up; throughput figures use 8.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'kysely';
import { benchServer, scratchDatabase, writeBenchmarkSection } from '../support.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { createToken } from '../../src/server/modules/tokens/index.js';
import { loadDesk, PLANTED } from './load.js';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    tickets: { type: 'string' },
    comments: { type: 'string' },
    requests: { type: 'string', default: '300' },
    doc: { type: 'boolean', default: false },
    'creation-only': { type: 'boolean', default: false },
    'search-only': { type: 'boolean', default: false },
  },
});
const searchOnly = a['search-only'];
if (a.doc && a['creation-only']) throw new Error('--doc records the whole run: leave out --creation-only');
if (a['creation-only'] && a['search-only']) throw new Error('--creation-only or --search-only, not both');
const kind = a.db === 'pglite' ? 'pglite' : 'postgres';
const tickets = Number(a.tickets ?? (kind === 'postgres' ? 1_000_000 : 100_000));
const comments = Number(a.comments ?? tickets * 3);
const N = Number(a.requests);
const log = (s: string): void => void process.stderr.write(`${s}\n`);

let dir: string | undefined;
let databaseUrl: string | undefined;
if (kind === 'postgres') {
  databaseUrl = await scratchDatabase('steward_bench_desk');
} else {
  dir = mkdtempSync(join(tmpdir(), 'steward-bench-desk-'));
}
const database = await openDatabase({ databaseUrl, dataDir: join(dir ?? tmpdir(), 'db'), poolSize: 10 });
const server = await benchServer(database, dir ?? tmpdir());
const loaded = await loadDesk(database, {
  tickets,
  comments,
  requesters: kind === 'postgres' ? 50_000 : 5_000,
  planted: 1_000,
  log,
});
// The ceiling: a public route that answers fixed JSON through the same hooks (no database, no token lookup).
server.app.get('/bench/static', { config: { public: true } }, () => ({ status: 'ok', items: [] }));
await server.app.listen({ host: '127.0.0.1', port: 0 });
const port = (server.app.server.address() as AddressInfo).port;

const userId = async (email: string): Promise<{ id: string; role: 'agent' | 'requester' | 'manager' }> => {
  const r = await sql<{
    id: string;
    role: 'agent' | 'requester' | 'manager';
  }>`select id, role from users where email = ${email}`.execute(database.db);
  const u = r.rows[0];
  if (!u) throw new Error(`no user ${email}`);
  return u;
};
const tokenFor = async (email: string): Promise<string> => {
  const u = await userId(email);
  return (
    await createToken(
      server.ctx,
      { userId: u.id, role: u.role, label: email, via: 'system' },
      { name: 'bench' },
    )
  ).token;
};
// The agent whose teams hold the most open tickets: the busiest queue.
const busiest = (
  await sql<{ email: string }>`SELECT u.email FROM users u JOIN team_members tm ON tm.user_id = u.id
    JOIN tickets t ON t.team_id = tm.team_id AND t.status IN ('new', 'assigned', 'in_progress', 'pending')
    WHERE u.role = 'agent' GROUP BY u.email ORDER BY count(*) DESC, u.email LIMIT 1`.execute(database.db)
).rows[0]!.email;
const agentToken = await tokenFor(busiest);
const requesterToken = await tokenFor('user7@bench.example');
const managerToken = await tokenFor('manager@bench.example');
const team = (
  await sql<{ id: string }>`select tm.team_id as id from team_members tm join users u on u.id = tm.user_id
    where u.email = ${busiest} limit 1`.execute(database.db)
).rows[0]!.id;

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function call(method: string, path: string, token: string | null, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode}`));
          else resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}
const pct = (xs: number[], p: number): number =>
  xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** Latency with one client (after a warm-up), and requests per second with 8 clients. */
async function measure(path: string, token: string | null): Promise<Figures> {
  for (let i = 0; i < Math.min(30, N); i++) await call('GET', path, token);
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await call('GET', path, token);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  const t0 = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (done < N) {
        done++;
        await call('GET', path, token);
      }
    }),
  );
  return {
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    perSecond: N / ((performance.now() - t0) / 1000),
  };
}

/**
 * Tickets created per second by 8 concurrent clients over `seconds`, run in a process of their own (never
 * synchronously: this process serves the requests meanwhile).
 */
async function creation(seconds: number): Promise<{ perSecond: number; created: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    join(import.meta.dirname, 'clients.ts'),
    String(port),
    agentToken,
    team,
    String(seconds),
    '8',
  ]);
  const out = JSON.parse(stdout) as { created: number; seconds: number };
  return { created: out.created, perSecond: out.created / out.seconds };
}

const OPEN = 'status=new,assigned,in_progress,pending';
const scenarios: [string, string, string | null][] = [
  ['static-JSON ceiling (a fixed JSON route, same hooks, no database)', '/bench/static', null],
  ['one database round trip: GET /api/health', '/api/health', null],
  [
    "agent's queue: open tickets of their teams, newest first (50)",
    `/api/v1/tickets?${OPEN}&limit=50`,
    agentToken,
  ],
  ["agent's queue sorted by priority", `/api/v1/tickets?${OPEN}&sort=priority&limit=50`, agentToken],
  [
    'queue with filters: team, incident, priority 4–5, newest first',
    `/api/v1/tickets?${OPEN}&teamId=${team}&type=incident&priority=4,5&limit=50`,
    agentToken,
  ],
  ["a requester's own tickets", '/api/v1/tickets?limit=50', requesterToken],
  ...searchScenarios(),
];
/** Ticket search (with word variants and prefixes since issue 24) and, in a search-only run, the global search. */
function searchScenarios(): [string, string, string | null][] {
  const base: [string, string, string | null][] = [
    [
      `full-text search "${PLANTED}" (${loaded.planted} matches), ranked, as a manager`,
      `/api/v1/tickets?q=${PLANTED}&limit=50`,
      managerToken,
    ],
    [
      `full-text search "${PLANTED}" as an agent (their teams' share)`,
      `/api/v1/tickets?q=${PLANTED}&limit=50`,
      agentToken,
    ],
  ];
  if (!searchOnly) return base;
  return [
    ...base,
    [
      `prefix search "zebrac" (finds "${PLANTED}"), ranked, as a manager`,
      '/api/v1/tickets?q=zebrac&limit=50',
      managerToken,
    ],
    [
      'global search box "zebracorn" as an agent (tickets, people, items)',
      `/api/v1/search?q=${PLANTED}`,
      agentToken,
    ],
    ['global search box, a bare ticket number "4242", as an agent', '/api/v1/search?q=4242', agentToken],
    [
      'global search box, a ticket number "INC-4242", as a requester',
      '/api/v1/search?q=INC-4242',
      requesterToken,
    ],
  ];
}
const load0 = loadavg()[0]!.toFixed(2);
const rows: string[] = [];
let ceiling: Figures | undefined;
for (const [name, path, token] of a['creation-only'] ? [] : scenarios) {
  log(`measuring: ${name}`);
  const f = await measure(path, token);
  ceiling ??= f;
  rows.push(
    `| ${name} | ${f.p50.toFixed(1)} | ${f.p95.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.perSecond.toFixed(0)} | ${(f.p95 / ceiling.p95).toFixed(1)}× |`,
  );
}
const c = searchOnly ? undefined : (log('measuring: creation'), await creation(10));
const load1 = loadavg()[0]!.toFixed(2);
// Leave the loaded desk as it was, for the next run.
await sql`DELETE FROM tickets WHERE description = 'created by the benchmark'`.execute(database.db);

const section = [
  `### ${searchOnly ? 'Search, ' : ''}${kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${tickets.toLocaleString('en')} tickets, ${comments.toLocaleString('en')} comments`,
  '',
  `Command: \`npm run bench:desk -- --db ${kind}${a.tickets ? ` --tickets ${tickets}` : ''}${searchOnly ? ' --search-only' : ''}\`, ${new Date().toISOString().slice(0, 16)}Z; ${cpus().length} cores; load ${load0} → ${load1}; ${loaded.seconds > 0 ? `bulk load ${loaded.seconds.toFixed(0)} s` : 'desk loaded by an earlier run'}. Latency: ${N} sequential keep-alive requests after a warm-up (ms); req/s: the same ${N} from 8 clients. Ratio: p95 against the static-JSON ceiling's p95.`,
  '',
  '| request | p50 ms | p95 ms | p99 ms | req/s (8 clients) | p95 / ceiling |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  ...(c
    ? [
        `Ticket creation, 8 clients for 10 s (POST /api/v1/tickets, no routing rules, as a fresh install): **${c.perSecond.toFixed(0)} tickets/s** (${c.created} created).`,
        '',
      ]
    : []),
].join('\n');
process.stdout.write(`${section}\n`);
if (a.doc) {
  writeBenchmarkSection(`bench:desk${searchOnly ? '-search' : ''} ${kind}`, section);
  log('written to docs/BENCHMARKS.md');
}
await server.close();
await database.close();
agent.destroy();
if (dir) rmSync(dir, { recursive: true, force: true });
