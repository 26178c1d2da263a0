/**
 * A storage target that goes away (issue 22, item 9), for real: a Steward server process, this machine enrolled
 * with `steward agent enrol` and `steward agent run` backing it up every two seconds to a folder on the server.
 * The folder disappears (as an unmounted disk would): the agent's runs fail and are reported with what is now
 * at risk, and one incident opens about the device. The folder comes back: the next run succeeds and the
 * incident is resolved, saying why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiToken, runCli, startTestServer, type TestServer } from '../support/server.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'steward.js');

interface Status {
  state: string;
  lastRunStatus: string | null;
  changedFiles: number | null;
  incident: { id: string; key: string; reason: string } | null;
  runs: { status: string; error: string | null; startedAt: string }[];
}

describe('a storage target that goes away and comes back', () => {
  let server: TestServer;
  let dir: string;
  let adminToken: string;
  let agent: ChildProcess | undefined;
  let log = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  /** Polls the device's status until `done` holds (or fails the test with the agent's log). */
  const until = async (ciId: string, what: string, done: (s: Status) => boolean): Promise<Status> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const s = (await api('GET', `/api/v1/backup/status/${ciId}`)).json as unknown as Status;
      if (done(s)) return s;
      if (Date.now() > deadline) throw new Error(`${what}: not in 120 s\n${JSON.stringify(s)}\n${log}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'steward-target-gone-'));
    adminToken = await adminApiToken(server, 'target gone test');
  }, 300_000);
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the runs, opens one incident, and resolves it when the folder is back', async () => {
    const src = join(dir, 'home', 'rita');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'budget.ods'), 'numbers\n');
    const config = join(dir, 'agent.json');
    const { token } = (await api('POST', '/api/v1/agents/enrolment-tokens', { note: 'gone' })).json as {
      token: string;
    };
    expect(
      (await runCli(['agent', 'enrol', '--server', server.url, '--token', token, '--config', config], {}))
        .code,
    ).toBe(0);
    const first = await runCli(['agent', 'run', '--once', '--json', '--config', config], {});
    const { ciId } = JSON.parse(first.stdout) as { ciId: string };
    const store = join(dir, 'store');
    const target = await api('POST', '/api/v1/backup/targets', { name: 'Server disk', location: store });
    expect(target.status).toBe(201);
    expect(
      (await api('PUT', `/api/v1/backup/repositories/${ciId}`, { targetId: target.json.id })).status,
    ).toBe(201);
    const policy = await api('POST', '/api/v1/backup/policies', {
      name: 'Every two seconds (test)',
      schedule: { kind: 'cron', cron: '*/2 * * * * *', timeZone: 'UTC' },
      paths: { linux: [src] },
      retention: { last: 10 },
      rpoMinutes: 60,
    });
    expect(
      (
        await api('POST', `/api/v1/backup/policies/${String(policy.json.id)}/assignments`, {
          scope: 'item',
          ref: ciId,
        })
      ).status,
    ).toBe(200);

    agent = spawn(
      process.execPath,
      [BIN, 'agent', 'run', '--json', '--backup-check', '1', '--config', config],
      { env: { ...process.env, STEWARD_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await until(ciId, 'a first good backup', (s) => s.lastRunStatus === 'succeeded');

    // The folder goes away; the work done since is at risk.
    renameSync(store, join(dir, 'store-unplugged'));
    writeFileSync(join(src, 'budget.ods'), 'new numbers\n');
    const broken = await until(ciId, 'an incident', (s) => s.incident !== null);
    expect(broken.incident?.reason).toBe('failing');
    expect(broken.runs[0]).toMatchObject({ status: 'failed' });
    expect(broken.runs[0]!.error).toBeTruthy();
    expect(broken.changedFiles).toBe(1);
    const tickets = (await api('GET', `/api/v1/cis/${ciId}/tickets`)).json.items as {
      id: string;
      key: string;
      title: string;
      status: string;
    }[];
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ key: broken.incident!.key, status: 'new' });
    expect(tickets[0]!.title).toMatch(/^Backups of .+ failed 3 times in a row$/);

    // More failures do not make another incident.
    const failedSoFar = broken.runs.filter((r) => r.status === 'failed').length;
    await until(
      ciId,
      'more failures',
      (s) => s.runs.filter((r) => r.status === 'failed').length > failedSoFar,
    );
    expect((await api('GET', `/api/v1/cis/${ciId}/tickets`)).json.items).toHaveLength(1);

    // The folder is back (anything made in its place while it was gone is not it).
    rmSync(store, { recursive: true, force: true });
    renameSync(join(dir, 'store-unplugged'), store);
    const healed = await until(
      ciId,
      'a good backup and the incident resolved',
      (s) => s.lastRunStatus === 'succeeded' && s.incident === null,
    );
    expect(healed.state).toBe('ok');
    agent.kill('SIGTERM');
    const incident = (await api('GET', `/api/v1/tickets/${tickets[0]!.id}`)).json;
    expect(incident.status).toBe('resolved');
    const timeline = (await api('GET', `/api/v1/tickets/${tickets[0]!.id}/timeline`)).json.items as {
      comment: { body: string } | null;
    }[];
    expect(timeline.map((t) => t.comment?.body ?? '').join('\n')).toMatch(/are healthy again/);
  }, 400_000);
});
