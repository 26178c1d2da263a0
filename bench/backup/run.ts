/**
 * `npm run bench:backup`: Steward's backup engine against Debian's restic, side by side, on the same
 * seeded dataset (see dataset.ts): first backup, unchanged re-backup, re-backup after a 5 % change and a
 * full restore, each tool into its own fresh local repository, page cache dropped before every command
 * (when root), tool order alternating per step. Checks the results too: every restore is compared file by
 * file (SHA-256) with the source, and `restic check --read-data` must accept Steward's repository.
 *
 *   npm run bench:backup -- [--size <GiB>] [--quick] [--steps backup,rebackup,change,restore[,check]]
 *                           [--data <dir>] [--seed <n>] [--tools restic,steward] [--steward-workers]
 *                           [--repeat <n>] [--verify-all] [--profile] [--doc | --no-doc] [--no-drop-caches]
 *                           [--no-read-data] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { datasetPaths, ensureDataset, planDataset } from './dataset.js';
import type { MutationSummary } from './mutate.js';
import { mutateDataset, undoMutation } from './mutate.js';
import { hotFunctions } from './profile.js';
import type { StepName, StepResult } from './report.js';
import { backupTable, mainTable, profileTable, spreadTable, STEP_LABEL, writeSection } from './report.js';
import type { Tool, ToolName } from './tools.js';
import { dropCaches, parseSummary, resticTool, rssMethod, runTool, stewardTool } from './tools.js';
import type { Entry } from './verify.js';
import { compareTrees, describeDiff, identical, listTree } from './verify.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const ALL_STEPS: StepName[] = ['backup', 'rebackup', 'change', 'restore', 'check'];
const say = (s: string): void => void process.stdout.write(s);

const { values: a } = parseArgs({
  options: {
    size: { type: 'string' },
    quick: { type: 'boolean', default: false },
    steps: { type: 'string', default: 'backup,rebackup,change,restore' },
    data: { type: 'string', default: join(ROOT, 'bench', '.data') },
    seed: { type: 'string', default: '1' },
    tools: { type: 'string', default: 'restic,steward' },
    'steward-workers': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    doc: { type: 'boolean' },
    'no-doc': { type: 'boolean', default: false },
    'no-drop-caches': { type: 'boolean', default: false },
    'no-read-data': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    'verify-all': { type: 'boolean', default: false },
  },
  strict: true,
});

const sizeGiB = a.size !== undefined ? Number(a.size) : a.quick ? 0.2 : 1;
if (!(sizeGiB > 0)) throw new Error('--size must be a positive number of GiB');
const steps = a.steps.split(',').map((s) => s.trim()) as StepName[];
for (const s of steps)
  if (!ALL_STEPS.includes(s)) throw new Error(`unknown step ${s}; steps: ${ALL_STEPS.join(', ')}`);
const toolNames = a.tools.split(',').map((s) => s.trim()) as ToolName[];
// A step needs a snapshot to start from: the first backup runs (untimed in the table) when not chosen.
const runSteps = ALL_STEPS.filter((s) => steps.includes(s) || (s === 'backup' && steps.length > 0));
const writeDoc = a['no-doc'] ? false : (a.doc ?? (!a.quick && !a.profile && a.size === undefined));
const dataDir = resolve(a.data);
const seed = Number(a.seed);
const repeat = Number(a.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a whole number ≥ 1');
/** The repetition under way (profile folders are named after it). */
let currentRep = 0;

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', cwd: ROOT }).trim();
  } catch {
    return '?';
  }
}

function duBytes(path: string): number {
  const out = sh('du', ['-sb', path]);
  return Number(out.split(/\s/)[0]);
}

function treeBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const st = statSync(join(dir, f));
    if (st.isFile()) n += st.size;
  }
  return n;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = sh('uptime', []);
  const plan = planDataset(seed, Math.round(sizeGiB * 1024 * MiB));
  const t0 = performance.now();
  const { manifest, reused } = ensureDataset(dataDir, plan, say);
  say(
    `dataset: ${(manifest.totalBytes / MiB).toFixed(0)} MiB in ${manifest.fileCount} files (${reused ? 'reused' : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`})\n`,
  );
  const source = datasetPaths(dataDir).tree;

  const work = join(dataDir, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const pw = join(work, 'password');
  writeFileSync(pw, 'bench-password\n');
  const git = `${sh('git', ['rev-parse', '--short', 'HEAD'])}${sh('git', ['status', '--porcelain', 'src/backup', 'src/cli']) ? ' + uncommitted changes' : ''}`;
  const tools: Tool[] = [];
  for (const name of toolNames) {
    if (name === 'restic') tools.push(resticTool(pw, join(work, 'restic-cache')));
    else if (name === 'steward') {
      const t = stewardTool(ROOT, pw, { workers: a['steward-workers'], git });
      if (a.profile)
        t.nodeFlags = (step) => [
          '--cpu-prof',
          `--cpu-prof-dir=${join(work, 'profiles', `${step}-r${currentRep + 1}`)}`,
        ];
      tools.push(t);
    } else throw new Error(`unknown tool ${String(name)}`);
  }
  const repoOf = (t: Tool): string => join(work, `repo-${t.name}`);
  const cold = !a['no-drop-caches'] && dropCaches();
  const results: StepResult[] = [];
  const failed = new Set<ToolName>();
  const restoreChecks: string[] = [];
  let mutation: MutationSummary | undefined;
  let sourceListing: Map<string, Entry> | undefined;
  for (let rep = 0; rep < repeat; rep++) {
    currentRep = rep;
    if (repeat > 1) say(`\n== repetition ${rep + 1} of ${repeat}\n`);
    rmSync(join(work, 'restic-cache'), { recursive: true, force: true });
    for (const t of tools) {
      rmSync(repoOf(t), { recursive: true, force: true });
      const m = await runTool(t, t.init(repoOf(t)), work, 'init');
      if (m.exitCode !== 0) throw new Error(`${t.name} init failed: ${m.stderr}`);
      say(`${t.name}: repository initialised (${(m.wallMs / 1000).toFixed(1)} s)\n`);
    }
    try {
      for (const [i, step] of runSteps.entries()) {
        if (step === 'change') {
          mutation = mutateDataset(dataDir, plan);
          say(
            `dataset: mutated (${mutation.modifiedFiles} modified, ${mutation.deletedFiles} deleted, ${mutation.addedFiles} added, ${mutation.largeFilesChanged} large files changed; ${(mutation.bytesWritten / MiB).toFixed(1)} MiB written)\n`,
          );
        }
        const bytes = treeBytes(source);
        // Alternate who goes first from step to step, and from one repetition to the next.
        const order = (i + rep) % 2 === 0 ? tools : [...tools].reverse();
        for (const [k, t] of order.entries()) {
          if (failed.has(t.name)) continue;
          const repo = repoOf(t);
          const target = join(work, `restore-${t.name}`);
          if (step === 'restore') rmSync(target, { recursive: true, force: true });
          const args =
            step === 'restore'
              ? t.restore(repo, target)
              : step === 'check'
                ? t.check(repo, !a['no-read-data'])
                : t.backup(repo, source);
          if (!a['no-drop-caches']) dropCaches();
          const load = loadavg()[0] ?? 0;
          say(`${STEP_LABEL[step]}: ${t.name} … `);
          const m = await runTool(t, args, work, step);
          const ok = m.exitCode === 0;
          const r: StepResult = { step, tool: t.name, sourceBytes: bytes, m, load, order: k + 1, ok, rep };
          if (!ok) {
            r.error = `exit ${m.exitCode}: ${m.stderr.trim().split('\n').slice(-5).join(' | ')}`;
            failed.add(t.name);
          }
          if (step !== 'restore' && step !== 'check') {
            r.summary = parseSummary(m.stdout);
            r.repoBytes = duBytes(repo);
          }
          if (steps.includes(step)) results.push(r);
          say(
            ok
              ? `${(m.wallMs / 1000).toFixed(2)} s, ${(bytes / MiB / (m.wallMs / 1000)).toFixed(0)} MiB/s, peak RSS ${(m.maxRssKiB / 1024).toFixed(0)} MiB\n`
              : `FAILED ${r.error}\n`,
          );
        }
        if (step === 'restore') {
          for (const t of tools) {
            const dir = join(work, `restore-${t.name}`);
            // Comparing 1 GiB trees takes a while on a loaded machine: every tool in the first repetition, all with --verify-all.
            if (!failed.has(t.name) && (rep === 0 || a['verify-all'])) {
              sourceListing ??= await listTree(source);
              const restored = join(dir, source);
              const d = existsSync(restored)
                ? compareTrees(sourceListing, await listTree(restored))
                : undefined;
              const line = `${t.name} restore vs source${repeat > 1 ? ` (repetition ${rep + 1})` : ''}: ${d ? describeDiff(d) : `nothing at ${restored}`}`;
              restoreChecks.push(line);
              say(`${line}\n`);
              if (!d || !identical(d)) failed.add(t.name);
            }
            if (!a.keep) rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    } finally {
      if (undoMutation(dataDir, plan, () => undefined)) say('dataset: mutation undone\n');
    }
  }

  // Correctness of Steward's repository as restic sees it (and of restic's as Steward sees it).
  const checks: string[] = [];
  const restic = tools.find((t) => t.name === 'restic');
  const steward = tools.find((t) => t.name === 'steward');
  if (restic && steward) {
    const readData = !a['no-read-data'];
    const m = await runTool(restic, restic.check(repoOf(steward), readData), work, 'final-check');
    checks.push(
      `\`restic check${readData ? ' --read-data' : ''}\` on Steward's repository: ${m.exitCode === 0 ? 'no errors' : `FAILED (exit ${m.exitCode}): ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`} (${(m.wallMs / 1000).toFixed(1)} s)`,
    );
    const s = await runTool(steward, steward.check(repoOf(restic), false), work, 'cross-check');
    checks.push(
      `\`steward repo check\` on restic's repository: ${s.exitCode === 0 ? 'no errors' : `FAILED (exit ${s.exitCode}): ${s.stderr.trim().split('\n').slice(-3).join(' | ')}`}`,
    );
    for (const c of checks) say(`${c}\n`);
  }

  const profiles: string[] = [];
  if (a.profile) {
    for (let rep = 0; rep < repeat; rep++) {
      for (const step of runSteps) {
        const dir = join(work, 'profiles', `${step}-r${rep + 1}`);
        if (!existsSync(dir)) continue;
        const files = readdirSync(dir).map((f) => join(dir, f));
        files.sort((x, y) => statSync(y).size - statSync(x).size);
        for (const [n, f] of files.entries()) {
          const h = hotFunctions(f, ROOT);
          const label = `Steward, ${STEP_LABEL[step]}${repeat > 1 ? ` (repetition ${rep + 1})` : ''}, ${n === 0 ? 'largest profile (main thread)' : `thread profile ${n + 1}`}`;
          profiles.push(profileTable(label, h.totalMs, h.rows));
        }
      }
    }
  }

  const mem = (totalmem() / 2 ** 30).toFixed(1);
  const cmd = `npm run bench:backup${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const doc = [
    `Command: \`${cmd}\`, ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}. Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${mem} GiB RAM, ` +
      `node ${process.version}. ${tools.map((t) => t.version).join('; ')}.`,
    '',
    `Load: before \`${loadBefore.replace(/^.*load average/, 'load average')}\`, after \`${sh('uptime', []).replace(/^.*load average/, 'load average')}\` ` +
      '(the machine is shared with other engineers: figures move with the load; the table gives the 1-minute load at the start of each command).',
    '',
    `Dataset (seed ${seed}): ${(manifest.totalBytes / MiB).toFixed(0)} MiB in ${manifest.fileCount} files and ${manifest.dirCount} dirs: ${manifest.smallFiles} small files ` +
      `(1–64 KiB, log-uniform; 60 % text, 40 % random) in nested dirs, ${manifest.duplicateFiles} duplicate copies of them, five ${(manifest.largeFileSize / MiB).toFixed(0)} MiB files ` +
      '(random; log text; random with a 16 MiB region repeated three times; 8 MiB random/zero runs; a copy of the random one with 1 MiB inserted at 40 %).' +
      (mutation
        ? ` The 5 % change modifies ${mutation.modifiedFiles} small files in place, deletes ${mutation.deletedFiles}, adds ${mutation.addedFiles} files, overwrites a region of one large file, ` +
          `appends to another and overwrites four regions of a third: ${(mutation.bytesWritten / MiB).toFixed(1)} MiB written, ${(mutation.bytesTouched / MiB).toFixed(0)} MiB of files to re-read.`
        : ''),
    '',
    `How: each tool is a child process on its own fresh local repository (format v2, compression auto), run one after the other, never in parallel; ` +
      `${cold ? 'page cache dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`) before every command: cold-cache figures' : '**page cache not dropped: warm-cache figures for both tools**'}; ` +
      'the tool that goes first alternates from step to step. Time is wall time of the whole command (start-up, key derivation, index load and lock included); ' +
      `MiB/s = size of the source tree (backup) or of the restored tree (restore) / time; peak RSS by ${rssMethod}. ` +
      'Steward runs `steward repo …` (the same command code, src/cli/repo.ts, without the server commands), transpiled from the working tree with esbuild, ' +
      `like \`dist/\`, as \`node …/steward-cli.js repo …\`${a['steward-workers'] ? ' with `backup --workers`' : ''}. restic keeps its cache in the run's scratch folder.` +
      (a.profile ? ' **Steward ran under `node --cpu-prof`: its times are inflated by the profiler.**' : ''),
    '',
    mainTable(results, steps),
    '',
    `${repeat > 1 ? `Medians of ${repeat} repetitions (fresh repositories each time). ` : ''}Ratios: speed ≥ 1.00 means Steward is at least as fast; memory ≤ 1.00 means Steward needs no more memory. CPU s is user + sys time of the process (all threads): on a shared machine it moves less with the load than wall time.`,
    ...(repeat > 1 ? ['', spreadTable(results, steps)] : []),
    '',
    `What the backups did${repeat > 1 ? ' (first repetition)' : ''}; both tools should see the same files:`,
    '',
    backupTable(results),
    '',
    'Correctness:',
    '',
    ...[
      ...restoreChecks,
      ...checks,
      ...results.filter((r) => !r.ok).map((r) => `${r.tool} ${STEP_LABEL[r.step]} FAILED: ${r.error ?? ''}`),
    ].map((l) => `- ${l}`),
    ...(profiles.length
      ? [
          '',
          'CPU profile of the Steward children (self time, top functions):',
          '',
          ...profiles.flatMap((p) => [p, '']),
        ]
      : []),
  ].join('\n');
  say(`\n${doc}\n`);
  const resultsDir = join(dataDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(resultsDir, `backup-${stamp}.json`),
    `${JSON.stringify({ cmd, manifest, mutation, results, restoreChecks, checks }, null, 2)}\n`,
  );
  writeFileSync(join(resultsDir, `backup-${stamp}.md`), `${doc}\n`);
  if (writeDoc) {
    writeSection(join(ROOT, 'docs', 'BENCHMARKS.md'), doc);
    say('\nwritten to docs/BENCHMARKS.md\n');
  }
  if (!a.keep) for (const t of tools) rmSync(repoOf(t), { recursive: true, force: true });
  if (
    results.some((r) => !r.ok) ||
    restoreChecks.some((l) => l.includes('DIFFERENT') || l.includes('nothing at')) ||
    checks.some((c) => c.includes('FAILED'))
  )
    process.exitCode = 1;
}

await main();
