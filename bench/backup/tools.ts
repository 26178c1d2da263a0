/**
 * The two programs under test, run as child processes so each one's wall time, CPU time and peak RSS
 * are its own: Debian's `restic`, and Steward's `repo` commands compiled from the working tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BackupSummary } from '../../src/backup/progress.js';

/** Tool names as they appear in the table. */
export type ToolName = 'restic' | 'steward';

/** What one timed child process cost. */
export interface Measured {
  wallMs: number;
  userS: number;
  sysS: number;
  /** Peak resident set size of the process (KiB); -1 when unknown. */
  maxRssKiB: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The `summary` JSON line both tools print for `backup --json` (data_added_packed only in Steward / restic ≥ 0.17). */
export type BackupSummaryJson = Omit<BackupSummary, 'data_added_packed'> &
  Partial<Pick<BackupSummary, 'data_added_packed'>> & { snapshot_id?: string };

const TIME = '/usr/bin/time';
const hasGnuTime = existsSync(TIME);

/** How peak memory is measured, for the report. */
export const rssMethod = hasGnuTime
  ? 'GNU time %M (ru_maxrss of the process)'
  : 'VmHWM polled from /proc every 50 ms';

/** Drops the page cache (root only); true when it worked. Syncs first so dirty pages are written outside the timing. */
export function dropCaches(): boolean {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

function readHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/** Runs a command to completion, measuring wall time and (via GNU time, else /proc polling) CPU and peak RSS. */
export async function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<Measured> {
  const timeFile = join(scratch, `time-${process.pid}-${Date.now()}.txt`);
  const argv = hasGnuTime ? ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args] : args;
  const started = performance.now();
  const child = spawn(hasGnuTime ? TIME : cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let hwm = -1;
  const poll = hasGnuTime ? undefined : setInterval(() => (hwm = Math.max(hwm, readHwm(child.pid ?? 0))), 50);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  const wallMs = performance.now() - started;
  if (poll) clearInterval(poll);
  let userS = Number.NaN;
  let sysS = Number.NaN;
  let maxRssKiB = hwm;
  if (hasGnuTime && existsSync(timeFile)) {
    // The file may start with "Command exited with non-zero status N".
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, u, s, m] = last.split(' ').map(Number);
    userS = u ?? Number.NaN;
    sysS = s ?? Number.NaN;
    maxRssKiB = m ?? -1;
    rmSync(timeFile, { force: true });
  }
  return {
    wallMs,
    userS,
    sysS,
    maxRssKiB,
    exitCode,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
  };
}

/** The last `summary` line of a `backup --json` run. */
export function parseSummary(stdout: string): BackupSummaryJson | undefined {
  let found: BackupSummaryJson | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"summary"')) continue;
    try {
      const j = JSON.parse(line) as { message_type?: string } & BackupSummaryJson;
      if (j.message_type === 'summary') found = j;
    } catch {
      // a status line cut short: ignore
    }
  }
  return found;
}

/** A program under test: builds the argv of each operation. */
export interface Tool {
  name: ToolName;
  /** Program and leading arguments. */
  command: string;
  baseArgs: string[];
  env: NodeJS.ProcessEnv;
  /** Version string for the report. */
  version: string;
  /** Extra node flags for one step (Steward under --profile). */
  nodeFlags?: (step: string) => string[];
  init(repo: string): string[];
  backup(repo: string, source: string): string[];
  restore(repo: string, target: string): string[];
  check(repo: string, readData: boolean): string[];
}

/** Debian's restic. Its cache lives in the run's scratch folder so every run starts cold and clean. */
export function resticTool(passwordFile: string, cacheDir: string): Tool {
  const version = spawnSync('restic', ['version'], { encoding: 'utf8' }).stdout.trim();
  const g = (repo: string): string[] => [
    '-r',
    repo,
    '--password-file',
    passwordFile,
    '--cache-dir',
    cacheDir,
  ];
  return {
    name: 'restic',
    command: 'restic',
    baseArgs: [],
    env: { ...process.env, RESTIC_PASSWORD: undefined, RESTIC_REPOSITORY: undefined },
    version,
    init: (repo) => [...g(repo), 'init'],
    backup: (repo, source) => [...g(repo), '--json', 'backup', source],
    restore: (repo, target) => [...g(repo), 'restore', 'latest', '--target', target],
    check: (repo, readData) => [...g(repo), 'check', ...(readData ? ['--read-data'] : [])],
  };
}

function tsFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

/**
 * Compiles `src/**` and the bench's steward-cli.ts with esbuild into `<root>/bench/.data/build`, one
 * module per file (the layout of `dist/`, so worker-thread entries resolve next to their pools).
 * Transpiling, not bundling or type-checking: a few hundred ms, and always the working tree's code.
 * The build stays under the repository root so node finds node_modules.
 */
export function buildSteward(root: string): string {
  const out = join(root, 'bench', '.data', 'build');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entries = [...tsFiles(join(root, 'src')), join(root, 'bench', 'backup', 'steward-cli.ts')].map((f) =>
    relative(root, f),
  );
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const r = spawnSync(
    esbuild,
    [
      ...entries,
      '--platform=node',
      '--format=esm',
      '--target=node20',
      `--outdir=${out}`,
      '--outbase=.',
      '--sourcemap',
      '--log-level=error',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`esbuild failed: ${r.stderr || r.stdout}`);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return join(out, 'bench', 'backup', 'steward-cli.js');
}

/** Steward's `repo` commands, run as `node <built steward-cli.js> repo …`. */
export function stewardTool(
  root: string,
  passwordFile: string,
  opts: { workers: boolean; git: string },
): Tool {
  const entry = buildSteward(root);
  const g = (repo: string): string[] => ['repo', '-r', repo, '--password-file', passwordFile];
  return {
    name: 'steward',
    command: process.execPath,
    baseArgs: [entry],
    env: {
      ...process.env,
      RESTIC_PASSWORD: undefined,
      RESTIC_REPOSITORY: undefined,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    version: `steward (working tree at ${opts.git}), node ${process.version}`,
    init: (repo) => [...g(repo), 'init'],
    backup: (repo, source) => [
      ...g(repo),
      '--json',
      'backup',
      ...(opts.workers ? ['--workers'] : []),
      source,
    ],
    restore: (repo, target) => [...g(repo), 'restore', 'latest', '--target', target],
    check: (repo, readData) => [...g(repo), 'check', ...(readData ? ['--read-data'] : [])],
  };
}

/** Runs one operation of a tool (argv from the tool, plus node flags for Steward when profiling). */
export async function runTool(tool: Tool, args: string[], scratch: string, step: string): Promise<Measured> {
  const flags = tool.nodeFlags?.(step) ?? [];
  return measure(tool.command, [...flags, ...tool.baseArgs, ...args], tool.env, scratch);
}
