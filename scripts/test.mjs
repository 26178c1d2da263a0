#!/usr/bin/env node
// The whole suite, as `npm test` runs it:
//   1. every test on the embedded PGlite database,
//   2. the database suites again on PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
//   3. the browser tests in Debian's Chromium.
// A missing component (PostgreSQL, Chromium, restic, ...) skips its suites with the reason printed at the end;
// under CI (CI=true) it is a failure instead. The last line is "steward: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const root = join(import.meta.dirname, '..');
const tmp = join(root, '.tmp');
const skipFile = join(tmp, 'skipped-suites.txt');
const ci = process.env.CI === 'true';
const args = new Set(process.argv.slice(2));
const only = ['--pg-only', '--e2e-only', '--unit-only'].find((a) => args.has(a));
const extra = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--') || !['--pg-only', '--e2e-only', '--unit-only'].includes(a));

mkdirSync(tmp, { recursive: true });
rmSync(skipFile, { force: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const skipped = [];
let failedRuns = 0;

function vitest(name, vitestArgs, env = {}) {
  const out = join(tmp, `vitest-${name}.json`);
  rmSync(out, { force: true });
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      ...vitestArgs,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
    if (j.numFailedTestSuites > 0 && j.numFailedTests === 0) totals.failed += j.numFailedTestSuites;
  } else if (r.status !== 0) {
    totals.failed += 1;
  }
  if (r.status !== 0) failedRuns++;
}

function skip(suite, why) {
  skipped.push(`${suite}: ${why}`);
  if (ci) {
    console.error(`CI: ${suite} cannot run: ${why}`);
    failedRuns++;
    totals.failed += 1;
  }
}

async function postgresUrl() {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url };
  } catch (e) {
    return { error: `PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${e.message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

if (!only || only === '--unit-only') {
  // *.pg.test.ts need PostgreSQL itself (several processes on one database): the PostgreSQL pass runs them.
  vitest('pglite', ['--exclude', '**/*.pg.test.ts', ...extra], { TEST_DATABASE_URL: '' });
}
if (!only || only === '--pg-only') {
  const p = await postgresUrl();
  if (p.url)
    vitest(
      'postgresql',
      [
        'src/server',
        'src/cli/cli.test.ts',
        'src/cli/dr.test.ts',
        'src/cli/first-run.test.ts',
        'src/cli/dr-drills.test.ts',
        'src/cli/exposure.test.ts',
        'test/interop/mail-channel.test.ts',
        'test/interop/agent.test.ts',
        'test/interop/agent-backup.test.ts',
        'test/interop/agent-kill.test.ts',
        'test/interop/backup-endpoint.test.ts',
        'test/interop/backup-target-gone.test.ts',
        'test/interop/agent-restore.test.ts',
        'test/interop/backup-browse.test.ts',
        'test/interop/backup-endpoint-streaming.test.ts',
        'test/interop/backup-endpoint-targets.test.ts',
        'test/interop/storm.test.ts',
        'test/interop/self-restore.test.ts',
        ...extra,
      ],
      {
        TEST_DATABASE_URL: p.url,
      },
    );
  else skip('database suites on PostgreSQL', p.error);
}
if (!only || only === '--e2e-only') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium))
    vitest('browser', ['--config', 'test/e2e/vitest.config.ts', ...extra], { TEST_DATABASE_URL: '' });
  else skip('browser tests', `Chromium not found at ${chromium} (apt-get install chromium)`);
}

if (existsSync(skipFile)) skipped.push(...readFileSync(skipFile, 'utf8').split('\n').filter(Boolean));
if (skipped.length > 0) {
  console.log('\nSkipped suites:');
  for (const s of [...new Set(skipped)]) console.log(`  - ${s}`);
}
console.log(`\nsteward: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedRuns > 0 || totals.failed > 0 ? 1 : 0);
