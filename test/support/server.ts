import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testRun } from './test-run.js';
import { stewardBinEnv } from './steward-bin.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'steward.js');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Timeout for tests that start the CLI several times: each start compiles the sources (tsx), which takes
 * tens of seconds on a loaded machine.
 */
export const SLOW_CLI_MS = 300_000;

/** Result of running the `steward` command. */
export interface CliResult {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Extras of {@link runCli}. */
export interface CliOptions {
  /** Called once the child started (e.g. to signal it at the right moment). */
  whileRunning?: (child: ChildProcess) => Promise<void>;
  /** Run as another user (the test runs as root). */
  as?: { uid: number; gid: number };
  /** Another checkout's `bin/steward.js` (a benchmark compares two versions). */
  bin?: string;
}

/** Runs `steward ARGS` from the sources (not a stale build), with `input` on standard input. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  input = '',
  opts: CliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = {
      ...process.env,
      ...(opts.bin ? { STEWARD_FROM_SOURCE: '1' } : stewardBinEnv()),
      LOG_LEVEL: 'warn',
    };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], {
      env: merged,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...opts.as,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
    void opts.whileRunning?.(child);
  });
}

/** A running Steward server process. */
export interface TestServer {
  url: string;
  adminEmail: string;
  adminPassword: string;
  env: Record<string, string>;
  process: ChildProcess;
  /** What the server printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A new, empty PostgreSQL database on the server at `url`, named for this test run; `drop` removes it. */
export async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `steward_test_${testRun()}_srv_${randomBytes(6).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Starts a real Steward server process on a free port with a temporary data folder (or a fresh PostgreSQL
 * database when `databaseUrl`, default TEST_DATABASE_URL, is set), after creating its first admin with the CLI
 * (unless `noAdmin`: then the server starts with its set-up token).
 * `env` adds settings; `bin` runs another checkout's `bin/steward.js` (benchmarks compare before and after).
 */
export async function startTestServer(
  opts: { databaseUrl?: string; env?: Record<string, string>; bin?: string; noAdmin?: boolean } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-srv-'));
  const baseUrl = opts.databaseUrl ?? process.env.TEST_DATABASE_URL;
  const pgdb = baseUrl ? await freshPostgres(baseUrl) : undefined;
  const port = await freePort();
  const env: Record<string, string> = {
    STEWARD_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...opts.env,
  };
  const adminEmail = 'admin@example.com';
  const adminPassword = 'first admin password';
  if (!opts.noAdmin) {
    const created = await runCli(
      ['admin', 'create', '--email', adminEmail, '--name', 'First Admin'],
      env,
      `${adminPassword}\n`,
      { bin: opts.bin },
    );
    if (created.code !== 0) throw new Error(`admin create failed: ${created.stderr}`);
  }
  const running = await startServerProcess(env, opts.bin);
  return {
    url: running.url,
    adminEmail,
    adminPassword,
    env,
    process: running.process,
    log: () => running.log(),
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await pgdb?.drop();
    },
  };
}

/** A `steward start` process on the settings `env` (which name its port), listening once this resolves. */
export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** What the server printed so far. */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s); its data stays. */
  stop(): Promise<void>;
}

/** Starts `steward start` with `env` and waits until it answers its health check (120 s at most). */
export async function startServerProcess(env: Record<string, string>, bin?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin ?? BIN, 'start'], {
    env: {
      ...process.env,
      ...(bin ? { STEWARD_FROM_SOURCE: '1' } : stewardBinEnv()),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in 120 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/** Signs in as the test server's first admin and makes an API token for them. */
export async function adminApiToken(server: TestServer, name = 'test'): Promise<string> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const t = await fetch(`${server.url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name }),
  });
  return ((await t.json()) as { token: string }).token;
}
