/**
 * The discovery agent: `enrol` trades an enrolment token for this device's own token and keeps it in a
 * config file (mode 0600); `run` collects the machine and reports it, once or on an interval. It reaches the
 * server over HTTP only.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReportOutcome } from '../contracts/index.js';
import { collect } from './collect.js';

/** What an enrolled agent keeps. */
export interface AgentConfig {
  server: string;
  agentId: string;
  token: string;
}

/** A failure the agent reports and exits on. */
export class AgentError extends Error {
  override readonly name = 'AgentError';
}

/** One JSON request to the server; a failure is an {@link AgentError} starting with the HTTP status. */
export async function request<T>(
  method: 'GET' | 'POST',
  url: string,
  body: unknown,
  token?: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    throw new AgentError(
      `cannot reach ${new URL(url).origin}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      // not a problem document
    }
    throw new AgentError(`${res.status}: ${detail}`);
  }
  // 204 No Content (nothing to do) answers null.
  return (text === '' ? null : JSON.parse(text)) as T;
}

const post = <T>(url: string, body: unknown, token?: string) => request<T>('POST', url, body, token);

/** Reads the agent's config file. */
export function readConfig(path: string): AgentConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new AgentError(`not enrolled: no ${path} (run \`steward agent enrol\` first)`);
  }
  const c = JSON.parse(raw) as Partial<AgentConfig>;
  if (!c.server || !c.agentId || !c.token) throw new AgentError(`${path} is not an agent config`);
  return c as AgentConfig;
}

/** Enrols this machine with `server` using an enrolment token; writes the config file. */
export async function enrol(
  server: string,
  enrolmentToken: string,
  configPath: string,
): Promise<AgentConfig> {
  const base = new URL(server).origin;
  const facts = await collect();
  const r = await post<{ agentId: string; token: string }>(`${base}/api/v1/agents/enrol`, {
    enrolmentToken,
    hostname: facts.hostname,
    systemUuid: facts.system.uuid,
  });
  const config: AgentConfig = { server: base, agentId: r.agentId, token: r.token };
  mkdirSync(dirname(configPath), { recursive: true });
  const tmp = `${configPath}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, configPath);
  return config;
}

/** Collects this machine and reports it once. */
export async function reportOnce(config: AgentConfig): Promise<ReportOutcome> {
  return post<ReportOutcome>(`${config.server}/api/v1/agents/report`, await collect(), config.token);
}
