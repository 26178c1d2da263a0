/**
 * What the agent interop tests share (agent-backup, agent-kill, agent-restore, backup-target-gone): a real Steward
 * server process with an admin API token and a scratch folder; this machine enrolled with `steward agent enrol`
 * and reported with `steward agent run --once`; devices enrolled through the API alone; a storage target, the
 * device's repository on it and a policy assigned to the device; `steward agent run` processes whose output is
 * kept for failure messages; and a link to the server that trickles ({@link slowLink}: a restore slow enough to
 * cancel).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportOf } from './devices.js';
import { adminApiToken, runCli, startTestServer, type TestServer } from './server.js';
import { TcpProxy } from './tcp-proxy.js';
import { stewardBinEnv } from './steward-bin.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'steward.js');

type Json = Record<string, unknown>;

/** An answer of the API: status, parsed JSON body (empty for none or a non-JSON body) and headers. */
export interface Answer {
  status: number;
  json: Json;
  headers: Headers;
}

/** A running `steward agent run`: the process and what it printed so far. */
export interface RunningAgent {
  child: ChildProcess;
  log(): string;
}

/** A device enrolled through the API, with an agent config file for `steward agent run`. */
export interface FakeDevice {
  ciId: string;
  token: string;
  config: string;
}

/** What {@link startFleet} returns. */
export interface Fleet {
  server: TestServer;
  /** Scratch folder, removed by {@link Fleet.stop}. */
  dir: string;
  /** An admin's API token. */
  admin: string;
  /** Calls the API as `token` (the admin by default). */
  api: (method: string, path: string, body?: unknown, token?: string, headers?: Json) => Promise<Answer>;
  /** This machine enrolled (`steward agent enrol`) and reported (`steward agent run --once`). */
  enrolThisMachine(note: string): Promise<{ ciId: string; config: string; token: string }>;
  /** A device enrolled and reported through the API; its config points at `server` (Steward by default). */
  fakeDevice: (hostname: string, server?: string) => Promise<FakeDevice>;
  /**
   * Backs device `ciId` up to a folder target (`store`, default `<dir>/store`) under a new policy assigned to it;
   * returns the target's and the policy's ids.
   */
  backUp(ciId: string, policy: Json, store?: string): Promise<{ targetId: string; policyId: string }>;
  /** Starts `steward agent run --config <config> ...args`; stopped by {@link Fleet.stop} at the latest. */
  startAgent: (config: string, args: string[]) => RunningAgent;
  /** Everything every agent printed so far. */
  log: () => string;
  /** Polls `probe` every `everyMs` until it returns a value; fails naming `what`, with the agents' output. */
  until<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs?: number,
    everyMs?: number,
  ): Promise<T>;
  /** Kills the agents, stops the server and removes the scratch folder. */
  stop: () => Promise<void>;
}

/** Starts Steward for an agent test named `name` (the admin token and the folder are named after it). */
export async function startFleet(name: string): Promise<Fleet> {
  const server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), `steward-${name.replace(/\W+/g, '-')}-`));
  const admin = await adminApiToken(server, name);
  const agents: ChildProcess[] = [];
  let all = '';

  const api: Fleet['api'] = async (method, path, body, token = admin, headers = {}) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(headers as Record<string, string>),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      // a restic file
    }
    return { status: r.status, json, headers: r.headers };
  };
  const ok = (what: string, a: Answer, status: number) => {
    if (a.status !== status) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.json)}`);
    return a.json;
  };

  const fleet: Fleet = {
    server,
    dir,
    admin,
    api,
    async enrolThisMachine(note) {
      const config = join(dir, `${note.replace(/\W+/g, '-')}.json`);
      const { token } = ok(
        'enrolment token',
        await api('POST', '/api/v1/agents/enrolment-tokens', { note }),
        201,
      );
      const enrol = await runCli(
        ['agent', 'enrol', '--server', server.url, '--token', String(token), '--config', config],
        {},
      );
      if (enrol.code !== 0) throw new Error(`steward agent enrol: ${enrol.stderr}`);
      const first = await runCli(['agent', 'run', '--once', '--json', '--config', config], {});
      if (first.code !== 0) throw new Error(`steward agent run --once: ${first.stderr}`);
      const { ciId } = JSON.parse(first.stdout) as { ciId: string };
      const { token: agentToken } = JSON.parse(readFileSync(config, 'utf8')) as { token: string };
      return { ciId, config, token: agentToken };
    },
    async fakeDevice(hostname, at = server.url) {
      const { token: enrolment } = ok(
        'enrolment token',
        await api('POST', '/api/v1/agents/enrolment-tokens', { note: hostname }),
        201,
      );
      const uuid = randomUUID();
      const e = ok(
        'enrol',
        await api('POST', '/api/v1/agents/enrol', { enrolmentToken: enrolment, hostname, systemUuid: uuid }),
        201,
      );
      const token = e.token as string;
      const r = ok(
        'report',
        await api('POST', '/api/v1/agents/report', reportOf(hostname, uuid), token),
        200,
      );
      const config = join(dir, `${hostname}.json`);
      writeFileSync(config, JSON.stringify({ server: at, agentId: e.agentId, token }), { mode: 0o600 });
      return { ciId: r.ciId as string, token, config };
    },
    async backUp(ciId, policy, store = join(dir, 'store')) {
      const target = ok(
        'target',
        await api('POST', '/api/v1/backup/targets', {
          name: `Server disk ${randomUUID().slice(0, 4)}`,
          location: store,
        }),
        201,
      );
      ok('repository', await api('PUT', `/api/v1/backup/repositories/${ciId}`, { targetId: target.id }), 201);
      const p = ok('policy', await api('POST', '/api/v1/backup/policies', policy), 201);
      ok(
        'assignment',
        await api('POST', `/api/v1/backup/policies/${String(p.id)}/assignments`, {
          scope: 'item',
          ref: ciId,
        }),
        200,
      );
      return { targetId: target.id as string, policyId: p.id as string };
    },
    startAgent(config, args) {
      const child = spawn(process.execPath, [BIN, 'agent', 'run', ...args, '--config', config], {
        env: { ...process.env, ...stewardBinEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      agents.push(child);
      let log = '';
      const keep = (d: Buffer) => {
        log += d.toString();
        all += d.toString();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      return { child, log: () => log };
    },
    log: () => all,
    async until(what, probe, timeoutMs = 240_000, everyMs = 500) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the agents said:\n${all}`);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    },
    async stop() {
      for (const a of agents) a.kill('SIGKILL');
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

/**
 * A link to Steward at `url` that passes at most `bytesPerSecond` towards the client: an agent configured with
 * its `url` reads a repository slowly. Stop it with `stop()`.
 */
export async function slowLink(
  url: string,
  bytesPerSecond: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const to = new URL(url);
  const proxy = new TcpProxy({ host: to.hostname, port: Number(to.port) }, { bytesPerSecond });
  const port = await proxy.start();
  return { url: `http://127.0.0.1:${port}`, stop: () => proxy.stop() };
}
