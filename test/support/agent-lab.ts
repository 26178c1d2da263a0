/**
 * A lab for end-to-end agent tests: a real Steward server process, its first admin's API token, a scratch
 * folder, devices enrolled through the API (each with an agent config file, so a real `steward agent` process
 * can act as that machine), real agent processes with their logs, and the waits these tests share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfig } from '../../src/agent/agent.js';
import { reportOf } from './devices.js';
import { adminApiToken, startTestServer, type TestServer } from './server.js';
import { stewardBinEnv } from './steward-bin.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'steward.js');

export type Json = Record<string, unknown>;

/** A device enrolled through the API: its computer's id, its agent config and where that config lives. */
export interface LabDevice {
  name: string;
  ciId: string;
  config: AgentConfig;
  configPath: string;
}

/** A running `steward agent` process and everything it printed. */
export interface LabAgent {
  child: ChildProcess;
  log: () => string;
}

/** Pack files in a repository folder (restic's layout: data/xx/<64 hex>). */
export function packsIn(repo: string): string[] {
  const data = join(repo, 'data');
  if (!existsSync(data)) return [];
  return readdirSync(data).flatMap((d) => readdirSync(join(data, d)).filter((f) => /^[0-9a-f]{64}$/.test(f)));
}

export class AgentLab {
  private readonly agents: LabAgent[] = [];

  private constructor(
    readonly server: TestServer,
    readonly admin: string,
    readonly dir: string,
  ) {}

  /** Starts the server (PGlite, or PostgreSQL under TEST_DATABASE_URL) and makes the scratch folder. */
  static async start(name: string): Promise<AgentLab> {
    const server = await startTestServer();
    const admin = await adminApiToken(server, `${name} test`);
    return new AgentLab(server, admin, mkdtempSync(join(tmpdir(), `steward-${name}-`)));
  }

  /** One JSON request to the server, as the admin unless `token` says otherwise. */
  async api(method: string, path: string, body?: unknown, token = this.admin) {
    const r = await fetch(`${this.server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : {}) as Json };
  }

  /** The JSON of a request that must answer `status`; fails with the answer otherwise. */
  async ok(status: number, method: string, path: string, body?: unknown, token?: string): Promise<Json> {
    const r = await this.api(method, path, body, token);
    if (r.status !== status)
      throw new Error(`${method} ${path}: ${r.status}, not ${status}: ${JSON.stringify(r.json)}`);
    return r.json;
  }

  /** Polls `probe` every `everyMs` until it returns a value; fails saying `what`, with the agents' logs. */
  async until<T>(what: string, probe: () => Promise<T | undefined>, everyMs = 250, timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(
      `timed out waiting for ${what}; agents said:\n${this.agents.map((a) => a.log()).join('\n')}`,
    );
  }

  /** A machine called `name` enrolled and reported through the API, with its agent config file written. */
  async device(name: string): Promise<LabDevice> {
    const { token: enrolment } = (await this.ok(201, 'POST', '/api/v1/agents/enrolment-tokens', {
      note: name,
    })) as { token: string };
    const uuid = randomUUID();
    const e = (await this.ok(201, 'POST', '/api/v1/agents/enrol', {
      enrolmentToken: enrolment,
      hostname: name,
      systemUuid: uuid,
    })) as { agentId: string; token: string };
    const r = await this.ok(200, 'POST', '/api/v1/agents/report', reportOf(name, uuid), e.token);
    const config: AgentConfig = { server: this.server.url, agentId: e.agentId, token: e.token };
    const configPath = join(this.dir, `${name}.json`);
    writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
    return { name, ciId: r.ciId as string, config, configPath };
  }

  /** Gives `device` its backup repository on the target `targetId`. */
  async repositoryFor(device: LabDevice, targetId: string): Promise<void> {
    await this.ok(201, 'PUT', `/api/v1/backup/repositories/${device.ciId}`, { targetId });
  }

  /** Starts `steward agent ARGS` (e.g. `run --config …`) as a real process. */
  startAgent(args: string[]): LabAgent {
    const child = spawn(process.execPath, [BIN, 'agent', ...args], {
      env: { ...process.env, ...stewardBinEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const agent = { child, log: () => log };
    this.agents.push(agent);
    return agent;
  }

  /** Waits for a restore to finish (succeeded, failed or cancelled); returns it as Steward shows it. */
  restoreFinished(id: string): Promise<Json> {
    return this.until(
      `restore ${id} to finish`,
      async () => {
        const r = (await this.api('GET', `/api/v1/backup/restores/${id}`)).json;
        return ['succeeded', 'failed', 'cancelled'].includes(r.state as string) ? r : undefined;
      },
      50,
    );
  }

  /** Kills every agent process still running, stops the server and removes the scratch folder. */
  async stop(): Promise<void> {
    for (const a of this.agents) if (a.child.exitCode === null) a.child.kill('SIGKILL');
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
