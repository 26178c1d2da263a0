import { describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

describe('steward kb', () => {
  const cli = useCliServer();
  /** A token of a new manager (the reviewer: an author never approves their own article). */
  const managerToken = async () => {
    const password = 'correct horse battery staple 42';
    const u = await cli.api('POST', '/api/v1/users', {
      email: 'mia@example.com',
      name: 'Mia Manager',
      role: 'manager',
      password,
      teamIds: [],
    });
    const login = await fetch(`${cli.srv.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mia@example.com', password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const t = await fetch(`${cli.srv.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'cli' }),
    });
    return { id: u.id, token: ((await t.json()) as { token: string }).token };
  };

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
        cli.env,
      );
      expect(created.code, created.stderr).toBe(0);
      const key = /^(KB-\d+) written/m.exec(created.stdout)?.[1];
      expect(key).toBeDefined();
      expect((await runCli(['kb', 'create', '--kind', 'memo', '--title', 'x'], cli.env)).code).toBe(2);
      expect((await runCli(['kb', 'submit', key!], cli.env)).stdout).toContain('is in review');
      // the author may not approve; the manager may
      expect((await runCli(['kb', 'approve', key!], cli.env)).code).toBe(1);
      const ok = await runCli(['kb', 'approve', key!.toLowerCase()], {
        ...cli.env,
        STEWARD_TOKEN: mia.token,
      });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('is approved');
      expect((await runCli(['kb', 'publish', key!], cli.env)).stdout).toContain('is published');
      const shown = await runCli(['kb', 'show', key!], cli.env);
      expect(shown.stdout).toContain('policy, published');
      expect(shown.stdout).toContain('Lock your screen.');
      expect((await runCli(['kb', 'list', '--search', 'desk'], cli.env)).stdout).toContain(
        `${key}  policy  published`,
      );
      expect((await runCli(['kb', 'versions', key!], cli.env)).stdout).toContain('v1');
      expect((await runCli(['kb', 'diff', key!, '1', '1'], cli.env)).stdout).toContain('  Lock your screen.');
      expect((await runCli(['kb', 'campaign', key!, '--role', 'manager'], cli.env)).stdout).toContain(
        '1 people asked',
      );
      expect((await runCli(['kb', 'acknowledge', key!], { ...cli.env, STEWARD_TOKEN: mia.token })).code).toBe(
        0,
      );
      expect((await runCli(['kb', 'progress', key!], cli.env)).stdout).toContain(
        '1 of 1 acknowledged version 1',
      );
      expect((await runCli(['kb', 'show', 'KB-999999'], cli.env)).stderr).toContain(
        'there is no article KB-999999',
      );
    },
    SLOW_CLI_MS,
  );
});
