/**
 * `npm run bench:fleet`: company backups at the size of a fleet, against a real server in this process.
 *
 * (a) 1,000 simulated devices (laptops with enrolled agents, repositories, a policy and a month of runs,
 *     loaded with set-based SQL) report runs; measured: the time from a device's report to a status list
 *     (GET /api/v1/backup/status) that shows it, and the per-business-service roll-up when the server has one.
 * (b) restic backing up a generated dataset (1 GiB, incompressible) through Steward's endpoint to a local
 *     target, against restic straight to a local folder in the same run: the ratio of throughputs.
 * (c) 20 restic clients uploading through the endpoint at once: Steward's resident memory, peak vs baseline.
 *
 *   npm run bench:fleet -- [--db pglite|postgres] [--devices 1000] [--samples 50] [--data-mib 1024]
 *                          [--clients 20] [--client-mib 64] [--doc]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../../src/server/db/connect.js';
import { benchServer, benchAdminToken, scratchDatabase, writeBenchmarkSection } from '../support.js';
import { makeDataset, mib, restic, resticOk, sampleRss } from './restic.js';
import { seedDevices, seedHistory, seedRepositories, type SimDevice } from './seed.js';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    devices: { type: 'string', default: '1000' },
    samples: { type: 'string', default: '50' },
    'data-mib': { type: 'string', default: '1024' },
    clients: { type: 'string', default: '20' },
    'client-mib': { type: 'string', default: '64' },
    rounds: { type: 'string', default: '2' },
    doc: { type: 'boolean', default: false },
  },
});
const kind = a.db === 'postgres' ? 'postgres' : 'pglite';
const DEVICES = Number(a.devices);
const SAMPLES = Number(a.samples);
const DATA = Number(a['data-mib']) * 1024 * 1024;
const CLIENTS = Number(a.clients);
const CLIENT_DATA = Number(a['client-mib']) * 1024 * 1024;
/** (b) is measured this many times, alternating which leg goes first, and the best of each leg compared. */
const ROUNDS = Math.max(1, Number(a.rounds));
const log = (s: string) => process.stderr.write(`${s}\n`);

const dir = mkdtempSync(join(tmpdir(), 'steward-bench-fleet-'));
const database = await openDatabase({
  databaseUrl: kind === 'postgres' ? await scratchDatabase('steward_bench_fleet') : undefined,
  dataDir: join(dir, 'db'),
  poolSize: 10,
});
if (kind === 'postgres')
  await sql`TRUNCATE backup_runs, backup_repositories, backup_policy_assignments, backup_policies,
    backup_targets, agents, agent_enrolment_tokens, cis CASCADE`.execute(database.db);
const server = await benchServer(database, dir);
await server.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
const db = database.db;
const admin = await benchAdminToken(server);
const load0 = loadavg()[0]!.toFixed(2);

async function api<T>(method: 'GET' | 'POST' | 'PUT', url: string, token = admin, payload?: object) {
  const r = await server.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r.json<T>();
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// The fleet: one local target, one policy for every laptop, the simulated devices with their history.
const target = await api<{ id: string }>('POST', '/api/v1/backup/targets', admin, {
  name: 'Server disk',
  location: join(dir, 'store'),
});
const policy = await api<{ id: string }>('POST', '/api/v1/backup/policies', admin, {
  name: 'Laptops, daily',
  schedule: { kind: 'cron', cron: '0 12 * * *', timeZone: 'Europe/Paris' },
  retention: { daily: 7, weekly: 4 },
  rpoMinutes: 26 * 60,
});
await api('POST', `/api/v1/backup/policies/${policy.id}/assignments`, admin, {
  scope: 'class',
  ref: 'laptop',
});
log(`seeding ${DEVICES} devices`);
let t0 = performance.now();
const fleet = await seedDevices(db, 'fleet', DEVICES);
await seedRepositories(db, target.id, fleet);
await seedHistory(db, fleet, 30);
const seedS = (performance.now() - t0) / 1000;

// (a) reports → status list.
const run = (at: number, failed: boolean) => ({
  startedAt: new Date(at - 60_000).toISOString(),
  finishedAt: new Date(at).toISOString(),
  status: failed ? 'failed' : 'succeeded',
  snapshotId: failed ? null : Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex'),
  filesNew: 3,
  filesChanged: 12,
  filesUnmodified: 20_000,
  bytesProcessed: 4e9,
  bytesAdded: 5e7,
  warnings: [],
  error: failed ? 'the disk was full' : null,
});
log('every device reports a run, 8 at a time');
let next = 0;
t0 = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < fleet.length) {
      const d = fleet[next++]!;
      await api('POST', '/api/v1/agents/backup/runs', d.token, run(Date.now(), next % 23 === 0));
    }
  }),
);
const reportsPerS = fleet.length / ((performance.now() - t0) / 1000);
const services = await server.app.inject({
  method: 'GET',
  url: '/api/v1/backup/services',
  headers: { authorization: `Bearer ${admin}` },
});
const hasRollUp = services.statusCode === 200;
log(`report → status list, ${SAMPLES} samples${hasRollUp ? ' (and the service roll-up)' : ''}`);
const lag: number[] = [];
const statusMs: number[] = [];
const rollUpMs: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const d = fleet[(i * 7919) % fleet.length]!;
  const r = run(Date.now() + i, false);
  const t = performance.now();
  await api('POST', '/api/v1/agents/backup/runs', d.token, r);
  const s0 = performance.now();
  const { devices } = await api<{ devices: { ciId: string; lastRunAt: string | null }[] }>(
    'GET',
    '/api/v1/backup/status',
  );
  if (devices.find((x) => x.ciId === d.ciId)?.lastRunAt !== r.startedAt)
    throw new Error('the status list does not show the report');
  statusMs.push(performance.now() - s0);
  if (hasRollUp) {
    const s1 = performance.now();
    await api('GET', '/api/v1/backup/services');
    rollUpMs.push(performance.now() - s1);
  }
  lag.push(performance.now() - t);
}

// (b) restic through Steward vs restic straight to a folder.
log(`generating ${mib(DATA)} MiB`);
const data = join(dir, 'data');
makeDataset(data, DATA);
const agents = await seedDevices(db, 'restic-client', CLIENTS + ROUNDS);
/** Creates the device's repository through the API and returns restic's environment for it. */
async function through(d: SimDevice): Promise<Record<string, string>> {
  await api('PUT', `/api/v1/backup/repositories/${d.ciId}`, admin, { targetId: target.id });
  const acc = await api<{ username: string; repositoryPassword: string }>(
    'GET',
    '/api/v1/agents/backup',
    d.token,
  );
  const u = new URL(`${base}/api/v1/backup/devices/${d.ciId}/`);
  u.username = acc.username;
  u.password = d.token;
  return { RESTIC_REPOSITORY: `rest:${u.toString()}`, RESTIC_PASSWORD: acc.repositoryPassword };
}
// Each round is a first backup of both legs into new repositories; the order alternates, so that a swing in
// the (shared) machine's load falls on both legs alike, and the best time of each leg is compared.
const directMs: number[] = [];
const viaMs: number[] = [];
let stewardCpuS = Infinity;
for (let r = 0; r < ROUNDS; r++) {
  const directEnv = { RESTIC_REPOSITORY: join(dir, `direct-${r}`), RESTIC_PASSWORD: 'bench direct' };
  await resticOk(['init'], directEnv);
  const viaEnv = await through(agents[r]!);
  const toFolder = async () => {
    log(`round ${r + 1}: restic → folder`);
    directMs.push((await resticOk(['backup', '--host', 'bench', data], directEnv)).ms);
  };
  const toSteward = async () => {
    log(`round ${r + 1}: restic → Steward → folder`);
    const cpu0 = process.cpuUsage();
    viaMs.push((await resticOk(['backup', '--host', 'bench', data], viaEnv)).ms);
    const cpu = process.cpuUsage(cpu0);
    stewardCpuS = Math.min(stewardCpuS, (cpu.user + cpu.system) / 1e6);
  };
  for (const leg of r % 2 === 0 ? [toFolder, toSteward] : [toSteward, toFolder]) await leg();
  rmSync(directEnv.RESTIC_REPOSITORY, { recursive: true, force: true });
}
const mbps = (ms: number) => DATA / 1024 / 1024 / (ms / 1000);
const direct = { ms: Math.min(...directMs) };
const via = { ms: Math.min(...viaMs) };
const ratio = mbps(via.ms) / mbps(direct.ms);

// (c) memory while many clients upload at once.
log(`${CLIENTS} restic clients at once, ${mib(CLIENT_DATA)} MiB each`);
const small = join(dir, 'client-data');
makeDataset(small, CLIENT_DATA);
const envs = await Promise.all(agents.slice(ROUNDS).map(through));
global.gc?.();
const stop = sampleRss();
t0 = performance.now();
const results = await Promise.all(
  envs.map((env, i) => restic(['backup', '--host', `client-${i}`, small], env)),
);
const together = (performance.now() - t0) / 1000;
const mem = stop();
const failed = results.filter((r) => r.status !== 0);
if (failed.length > 0) throw new Error(`${failed.length} clients failed: ${failed[0]!.stderr.slice(0, 300)}`);
const load1 = loadavg()[0]!.toFixed(2);

const section = [
  `### ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${DEVICES.toLocaleString('en')} devices, ${mib(DATA)} MiB through the endpoint, ${CLIENTS} clients at once`,
  '',
  `Command: \`npm run bench:fleet -- --db ${kind} --devices ${DEVICES} --samples ${SAMPLES} --data-mib ${DATA / 2 ** 20} --clients ${CLIENTS} --client-mib ${CLIENT_DATA / 2 ** 20} --rounds ${ROUNDS}\`, ${new Date().toISOString().slice(0, 16)}Z; ${cpus().length} cores; load ${load0} → ${load1}; restic ${(await restic(['version'], {})).stdout.split(' ')[1] ?? '?'}; seeding ${DEVICES.toLocaleString('en')} devices with 30 days of runs: ${seedS.toFixed(1)} s.`,
  '',
  `(a) Every device reports a run (8 at a time): **${reportsPerS.toFixed(0)} reports/s**. Then ${SAMPLES} times, one device reports and the status list of all ${DEVICES.toLocaleString('en')} devices is read back showing it (Fastify inject, one at a time):`,
  '',
  '| measure | p50 ms | p95 ms | max ms |',
  '|---|---:|---:|---:|',
  `| report → updated status list (target ≤ 1,000) | ${pct(lag, 50).toFixed(0)} | ${pct(lag, 95).toFixed(0)} | **${Math.max(...lag).toFixed(0)}** |`,
  `| of which GET /api/v1/backup/status | ${pct(statusMs, 50).toFixed(0)} | ${pct(statusMs, 95).toFixed(0)} | ${Math.max(...statusMs).toFixed(0)} |`,
  hasRollUp
    ? `| of which GET /api/v1/backup/services (roll-up) | ${pct(rollUpMs, 50).toFixed(0)} | ${pct(rollUpMs, 95).toFixed(0)} | ${Math.max(...rollUpMs).toFixed(0)} |`
    : '| per-business-service roll-up | pending: GET /api/v1/backup/services is not on this branch yet | | |',
  '',
  `(b) restic backing up ${mib(DATA)} MiB of incompressible files (${Math.ceil(DATA / 16 / 1024 / 1024)} files of 16 MiB), first backup, \`--no-cache\`, both in the same run, ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} alternating which goes first (seconds per round; the best of each compared):`,
  '',
  '| restic to | seconds | best MiB/s |',
  '|---|---:|---:|',
  `| a local folder (reference) | ${directMs.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} | ${mbps(direct.ms).toFixed(1)} |`,
  `| Steward's endpoint → local target | ${viaMs.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} | ${mbps(via.ms).toFixed(1)} |`,
  `| **ratio** (target ≥ 0.8) | | **${ratio.toFixed(2)}** |`,
  '',
  `Steward's own CPU time while restic went through it: ${stewardCpuS.toFixed(1)} s (${(stewardCpuS / (DATA / 2 ** 30)).toFixed(1)} s per GiB: receiving, SHA-256, writing).`,
  '',
  `(c) ${CLIENTS} restic clients back up ${mib(CLIENT_DATA)} MiB each into their own repositories through the endpoint at once (${together.toFixed(1)} s, ${mib((CLIENTS * CLIENT_DATA) / together)} MiB/s in all); Steward's resident memory sampled every 50 ms: baseline ${mib(mem.baseline)} MiB, peak **${mib(mem.peak)} MiB (+${mib(mem.peak - mem.baseline)} MiB)**, at the end ${mib(mem.end)} MiB. Held whole, each upload in flight would add its pack (16 MiB) and a copy.`,
  '',
].join('\n');
process.stdout.write(`${section}\n`);
if (a.doc) {
  writeBenchmarkSection(`bench:fleet ${kind}`, section);
  log('written to docs/BENCHMARKS.md');
}
await server.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
