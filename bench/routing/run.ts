/**
 * `npm run bench:routing`: a burst of incoming tickets through the real API (Fastify inject, no network),
 * first with no routing rules, then with 20 rules where the matching one sits last and assigns round-robin
 * inside a team of 10 agents (two of them away). Reports tickets/s for both, so the cost of routing is the
 * difference. PGlite in a temporary folder, or PostgreSQL with DATABASE_URL
 * (point it at a scratch database: the benchmark writes users, teams, rules and tickets into it).
 *
 *   npm run bench:routing -- [--tickets 10000] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/server/db/connect.js';
import { createUser } from '../../src/server/modules/users/index.js';
import { benchServer, benchAdminToken } from '../support.js';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '16' } },
});
const N = Number(values.tickets);
const C = Number(values.concurrency);
const dir = mkdtempSync(join(tmpdir(), 'steward-bench-routing-'));
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: join(dir, 'db'),
  poolSize: 10,
});
const server = await benchServer(database, dir);
const system = { userId: null, role: 'admin', label: 'bench', via: 'system' } as const;
const token = await benchAdminToken(server);
const call = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
  const res = await server.app.inject({
    method,
    url,
    payload: body as object,
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>();
};

const agents: string[] = [];
for (let i = 0; i < 10; i++) {
  const u = await createUser(server.ctx, system, {
    email: `agent${i}-${Date.now()}@example.com`,
    name: `Agent ${i}`,
    role: 'agent',
    password: 'agent password 123',
    teamIds: [],
  });
  agents.push(u.id);
}
const team = await call('POST', '/api/v1/teams', { name: `Bench team ${Date.now()}`, memberIds: agents });
await call('PUT', `/api/v1/teams/${team.id}/assignment`, { strategy: 'round_robin' });
for (const a of agents.slice(0, 2)) await call('PUT', `/api/v1/users/${a}/away`, { away: true });

async function burst(label: string, count = N): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < count) {
        const i = next++;
        await call('POST', '/api/v1/tickets', {
          type: i % 3 === 0 ? 'request' : 'incident',
          title: `${label} ${i}: the printer on floor ${i % 7} is jammed`,
          description: 'Paper everywhere.',
        });
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const load = loadavg()[0]?.toFixed(2);
// Warm up (JIT, caches, the first pages of every index) before measuring.
await burst('warmup', Math.ceil(N / 10));
const plain = await burst('plain');
for (let r = 0; r < 19; r++) {
  await call('POST', '/api/v1/routing-rules', {
    name: `Miss ${r}`,
    conditions: [
      { field: 'words', words: [`nomatch${r}`, `other${r}`] },
      { field: 'type', in: ['problem'] },
    ],
    actions: { setPriority: 5 },
  });
}
await call('POST', '/api/v1/routing-rules', {
  name: 'Printers',
  conditions: [{ field: 'words', words: ['printer', 'toner'] }],
  actions: { setTeam: team.id },
});
const routed = await burst('routed');
process.stdout.write(
  `${database.kind}, ${N} tickets, concurrency ${C}, ${cpus().length} cores, load ${load}:\n` +
    `  without rules: ${plain.toFixed(0)} tickets/s\n` +
    `  20 rules, last one matching, round-robin assignment: ${routed.toFixed(0)} tickets/s ` +
    `(${((1 - routed / plain) * 100).toFixed(0)} % slower)\n`,
);
await server.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
