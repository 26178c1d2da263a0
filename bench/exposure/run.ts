/**
 * `npm run bench:exposure`: matching OSV advisories against a fleet on PostgreSQL.
 *
 * Loads (set-based SQL) `--machines` computers with `--packages` source packages each, in three ecosystems
 * (Debian:12 60 %, Ubuntu:22.04:LTS 30 %, Rocky Linux:9 10 %), from a universe of 3,000 package names with four
 * versions each; and `--advisories` advisories (stored through the module's own repository), about 1 % of them
 * affecting some of the installed versions. Then measures the full match (matchAll: every advisory against every
 * computer, exposures opened in the database) and the re-match of one computer after its report (matchComputer,
 * 20 computers with changed versions, median and worst). The reference in the same run: one scan of the
 * fleet's distinct (ecosystem, package, version), the floor of any full match.
 *
 *   npm run bench:exposure -- [--machines 5000] [--packages 1500] [--advisories 100000] [--doc]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { createCtx } from '../../src/server/platform/context.js';
import { advisoryCache, matchAll, matchComputer } from '../../src/server/modules/exposure/index.js';
import { upsertAdvisories } from '../../src/server/modules/exposure/exposure.repository.js';
import type { Advisory } from '../../src/server/modules/exposure/osv.js';
import { scratchDatabase, writeBenchmarkSection } from '../support.js';

const { values: a } = parseArgs({
  options: {
    machines: { type: 'string', default: '5000' },
    packages: { type: 'string', default: '1500' },
    advisories: { type: 'string', default: '100000' },
    doc: { type: 'boolean', default: false },
  },
});
const MACHINES = Number(a.machines);
const PACKAGES = Number(a.packages);
const ADVISORIES = Number(a.advisories);
const NAMES = 3000;
const ECOSYSTEMS = ['Debian:12', 'Ubuntu:22.04:LTS', 'Rocky Linux:9'] as const;
const log = (s: string) => process.stderr.write(`${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
};

const database = await openDatabase({
  databaseUrl: await scratchDatabase('steward_bench_exposure'),
  dataDir: '',
  poolSize: 4,
});
const db = database.db;
const loadBefore = loadavg()[0]!.toFixed(2);
await sql`DROP SCHEMA public CASCADE`.execute(db);
await sql`CREATE SCHEMA public`.execute(db);
await migrate(db);
const ctx = createCtx(db, () => {}, 'postgres');

// Machine m: ecosystem by m % 10; package k is pkg-(2k + m % 2) (of 3,000 names); version 1.<k % 10>-<(m + k) % 4>.
const [, loadMs] = await timed(async () => {
  await sql`INSERT INTO cis (class_key, name, status, custom)
    SELECT 'server', 'bench-' || m, 'deployed', jsonb_build_object('bench', m)
    FROM generate_series(0, ${MACHINES - 1}) m`.execute(db);
  await sql`INSERT INTO ci_source_packages (computer_id, ecosystem, name, version)
    SELECT c.id, (ARRAY['Debian:12','Ubuntu:22.04:LTS','Rocky Linux:9'])[CASE WHEN m % 10 < 6 THEN 1 WHEN m % 10 < 9 THEN 2 ELSE 3 END],
      'pkg-' || (2 * k + m % 2), '1.' || (k % 10) || '-' || ((m + k) % 4)
    FROM (SELECT id, (custom->>'bench')::int AS m FROM cis WHERE class_key = 'server') c,
      generate_series(0, ${PACKAGES - 1}) k`.execute(db);
  await sql`ANALYZE ci_source_packages`.execute(db);
});
log(`fleet loaded in ${secs(loadMs)}`);

// Advisory i: ecosystem i % 3, package pkg-(i % 3000); 99 % fixed in revision 0 of its version (affecting none
// of the installed ones), 1 % fixed in revision 1..4 (affecting the lower revisions).
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
const advisories: Advisory[] = Array.from({ length: ADVISORIES }, (_, i) => {
  const k = Math.floor(rand() * NAMES);
  const rev = rand() < 0.01 ? 1 + Math.floor(rand() * 4) : 0;
  return {
    id: `BENCH-${i}`,
    modified: new Date('2026-11-01T00:00:00Z'),
    published: null,
    withdrawn: false,
    summary: `pkg-${k}: a flaw`,
    details: '',
    aliases: [],
    severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4]!,
    cvssScore: null,
    cvssVector: null,
    packages: [
      {
        ecosystem: ECOSYSTEMS[i % 3]!,
        name: `pkg-${k}`,
        ranges: [[{ introduced: '0' }, { fixed: `1.${Math.floor(k / 2) % 10}-${rev}` }]],
        versions: [],
      },
    ],
  };
});
const [, importMs] = await timed(() => ctx.tx((tx) => upsertAdvisories(tx, advisories)));
await sql`ANALYZE advisory_packages`.execute(db);
log(`advisories stored in ${secs(importMs)}`);

const [distinct, refMs] = await timed(
  async () =>
    (
      await sql<{ n: string }>`SELECT count(*)::text AS n FROM (SELECT DISTINCT ecosystem, name, version
        FROM ci_source_packages) d`.execute(db)
    ).rows[0]!.n,
);
const [full, fullMs] = await timed(() => matchAll(ctx));
log(`full match ${secs(fullMs)}: ${full.opened} exposures opened (reference scan ${secs(refMs)})`);

// One computer's report: a tenth of its packages move to the next revision, then it is re-matched.
const picks = (
  await sql<{ id: string }>`SELECT id FROM cis WHERE class_key = 'server' ORDER BY id LIMIT 20`.execute(db)
).rows;
const cache = advisoryCache(ctx);
await cache(); // the server holds the advisories in memory from its first report on
const one: number[] = [];
for (const p of picks) {
  await sql`UPDATE ci_source_packages SET version = version || '+1'
    WHERE computer_id = ${p.id} AND abs(hashtext(name)) % 10 = 0`.execute(db);
  one.push((await timed(() => matchComputer(ctx, p.id, cache)))[1]);
}
one.sort((x, y) => x - y);
const median = one[Math.floor(one.length / 2)]!;
const worst = one.at(-1)!;
log(`one report re-matched: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms`);
const loadAfter = loadavg()[0]!.toFixed(2);
await database.close();

const section = `## Vulnerability exposure (OSV matching)

Command: \`npm run bench:exposure -- --machines ${MACHINES} --packages ${PACKAGES} --advisories ${ADVISORIES}\`, ${new Date().toISOString().slice(0, 19)}Z, PostgreSQL (127.0.0.1). Machine: ${cpus().length} cores, node ${process.version}; 1-minute load ${loadBefore} before, ${loadAfter} after (shared machine).

Fleet: ${MACHINES} computers × ${PACKAGES} source packages (${(MACHINES * PACKAGES).toLocaleString('en')} rows, ${Number(distinct).toLocaleString('en')} distinct ecosystem/package/version) in Debian:12, Ubuntu:22.04:LTS and Rocky Linux:9; ${ADVISORIES.toLocaleString('en')} advisories, ~1 % of them affecting installed versions.

| measure | time | target |
|---|---:|---:|
| reference: one scan of the fleet's distinct packages (same run) | ${secs(refMs)} | |
| full match (every advisory × every computer, ${full.opened.toLocaleString('en')} exposures opened) | **${secs(fullMs)}** | ≤ 60 s |
| one agent report re-matched (20 computers, median / worst) | **${median.toFixed(0)} / ${worst.toFixed(0)} ms** | ≤ 200 ms |
| storing the advisories (upsert, one transaction) | ${secs(importMs)} | |
| loading the fleet (bench set-up, SQL) | ${secs(loadMs)} | |

How: the full match reads the distinct (ecosystem, package, version) once, checks each against the advisories of its package in Node with the ecosystem's own ordering, stages the affected ones in a temporary table and opens the exposures of every computer in one INSERT … SELECT joined with the CMDB's source-package rows. A report's re-match uses the advisories each server process keeps in memory (reloaded when an import stores new ones) and writes the computer's changes in one transaction. Remediation tickets are not part of these figures (the fleet has no business services).
`;
if (a.doc) writeBenchmarkSection('bench:exposure', section);
process.stdout.write(section);
