/**
 * The discovery agent end to end, as an administrator would use it: a real Steward server process, an
 * enrolment token from the API, `steward agent enrol` and `steward agent run --once` as commands on this
 * machine. The agent reads this machine for real; the server reconciles it into a computer with its software;
 * a second run changes nothing. Enrolling the machine again is refused while its agent is active; after an
 * admin revokes it, the machine enrols again and comes back to its computer.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiToken, runCli, startTestServer, type TestServer } from '../support/server.js';

describe('steward agent against a real server', () => {
  let server: TestServer;
  let dir: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'steward-agent-'));
    adminToken = await adminApiToken(server, 'agent test');
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return r.json() as Promise<Record<string, unknown>>;
  };

  it('enrols this machine, reports its hardware and software, and a second run changes nothing', async () => {
    const config = join(dir, 'agent.json');
    const bad = await runCli(
      ['agent', 'enrol', '--server', server.url, '--token', 'stw_enrol_nope', '--config', config],
      {},
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/401/);
    const { token } = (await api('POST', '/api/v1/agents/enrolment-tokens', { note: 'ci' })) as {
      token: string;
    };
    const enrol = await runCli(
      ['agent', 'enrol', '--server', server.url, '--token', token, '--config', config],
      {},
    );
    expect(enrol.stderr).toBe('');
    expect(enrol.code).toBe(0);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const first = await runCli(['agent', 'run', '--once', '--json', '--config', config], {});
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.stdout) as { ciId: string; created: boolean; software: { added: number } };
    expect(r1.created).toBe(true);
    expect(r1.software.added).toBeGreaterThan(50);
    const ci = await api('GET', `/api/v1/cis/${r1.ciId}`);
    expect(ci.status).toBe('deployed');
    expect((ci.custom as { system_uuid?: string }).system_uuid).toBeTruthy();
    const second = await runCli(['agent', 'run', '--once', '--json', '--config', config], {});
    expect(JSON.parse(second.stdout)).toMatchObject({ ciId: r1.ciId, unchanged: true });
    const notEnrolled = await runCli(['agent', 'run', '--once', '--config', join(dir, 'none.json')], {});
    expect(notEnrolled.code).toBe(1);
    expect(notEnrolled.stderr).toMatch(/not enrolled/);

    // The same machine enrolling again (say, a second install) is refused while its agent is active.
    const again = join(dir, 'again.json');
    const enrolAgain = async () => {
      const t = (await api('POST', '/api/v1/agents/enrolment-tokens', { note: 'again' })) as {
        token: string;
      };
      return runCli(['agent', 'enrol', '--server', server.url, '--token', t.token, '--config', again], {});
    };
    const refused = await enrolAgain();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/409/);
    expect(refused.stderr).toContain(`the computer "${String(ci.name)}"`);
    const { agentId } = JSON.parse(readFileSync(config, 'utf8')) as { agentId: string };
    await fetch(`${server.url}/api/v1/agents/${agentId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect((await enrolAgain()).code).toBe(0);
    const back = await runCli(['agent', 'run', '--once', '--json', '--config', again], {});
    expect(JSON.parse(back.stdout)).toMatchObject({ ciId: r1.ciId, created: false });
    const old = await runCli(['agent', 'run', '--once', '--config', config], {});
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/revoked/);
  }, 400_000);
});
