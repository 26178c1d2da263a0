import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminApiToken,
  runCli,
  SLOW_CLI_MS,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { bearerApi } from '../../test/support/cli-api.js';

describe('steward kb', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  const api = bearerApi(
    () => srv.url,
    () => env.STEWARD_TOKEN,
  );
  /** A token of a new manager (the reviewer: an author never approves their own article). */
  const managerToken = async () => {
    const password = 'correct horse battery staple 42';
    const u = await api('POST', '/api/v1/users', {
      email: 'mia@example.com',
      name: 'Mia Manager',
      role: 'manager',
      password,
      teamIds: [],
    });
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mia@example.com', password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const t = await fetch(`${srv.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'cli' }),
    });
    return { id: u.id, token: ((await t.json()) as { token: string }).token };
  };
  beforeAll(async () => {
    srv = await startTestServer();
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: await adminApiToken(srv) };
  });
  afterAll(async () => {
    await srv.stop();
  });

  it(
    'writes, submits, approves, publishes, diffs and acknowledges a policy by its key',
    async () => {
      const mia = await managerToken();
      const created = await runCli(
        [
          'kb',
          'create',
          '--kind',
          'policy',
          '--title',
          'Clean desk',
          '--body',
          'Lock your screen.',
          '--audience',
          'requesters',
        ],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const key = /^(KB-\d+) written/m.exec(created.stdout)?.[1];
      expect(key).toBeDefined();
      expect((await runCli(['kb', 'create', '--kind', 'memo', '--title', 'x'], env)).code).toBe(2);
      expect((await runCli(['kb', 'submit', key!], env)).stdout).toContain('is in review');
      // the author may not approve; the manager may
      expect((await runCli(['kb', 'approve', key!], env)).code).toBe(1);
      const ok = await runCli(['kb', 'approve', key!.toLowerCase()], { ...env, STEWARD_TOKEN: mia.token });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('is approved');
      expect((await runCli(['kb', 'publish', key!], env)).stdout).toContain('is published');
      const shown = await runCli(['kb', 'show', key!], env);
      expect(shown.stdout).toContain('policy, published');
      expect(shown.stdout).toContain('Lock your screen.');
      expect((await runCli(['kb', 'list', '--search', 'desk'], env)).stdout).toContain(
        `${key}  policy  published`,
      );
      expect((await runCli(['kb', 'versions', key!], env)).stdout).toContain('v1');
      expect((await runCli(['kb', 'diff', key!, '1', '1'], env)).stdout).toContain('  Lock your screen.');
      expect((await runCli(['kb', 'campaign', key!, '--role', 'manager'], env)).stdout).toContain(
        '1 people asked',
      );
      expect((await runCli(['kb', 'acknowledge', key!], { ...env, STEWARD_TOKEN: mia.token })).code).toBe(0);
      expect((await runCli(['kb', 'progress', key!], env)).stdout).toContain('1 of 1 acknowledged version 1');
      expect((await runCli(['kb', 'show', 'KB-999999'], env)).stderr).toContain(
        'there is no article KB-999999',
      );
    },
    SLOW_CLI_MS,
  );
});
