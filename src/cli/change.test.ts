import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminApiToken,
  runCli,
  SLOW_CLI_MS,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { bearerApi } from '../../test/support/cli-api.js';

describe('steward change', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  const api = bearerApi(
    () => srv.url,
    () => env.STEWARD_TOKEN,
  );
  beforeAll(async () => {
    srv = await startTestServer();
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: await adminApiToken(srv) };
  });
  afterAll(async () => {
    await srv.stop();
  });

  it(
    'raises, shows, moves and approves changes by their key',
    async () => {
      expect((await runCli(['change', 'list'], env)).stdout).toContain('no changes');
      const me = (await api('GET', '/api/v1/auth/session')) as unknown as { user: { id: string } };
      const team = await api('POST', '/api/v1/teams', { name: 'CAB', memberIds: [me.user.id] });
      const routes = (await api('GET', '/api/v1/change-approval-routes')) as unknown as {
        items: { route: string; version: number }[];
      };
      for (const r of routes.items)
        await api(
          'PUT',
          `/api/v1/change-approval-routes/${r.route}`,
          { levels: [{ teamId: team.id, rule: 'any' }] },
          {
            'if-match': `"v${r.version}"`,
          },
        );
      const server = await api('POST', '/api/v1/cis', {
        classKey: 'server',
        name: 'db-1',
        status: 'deployed',
      });
      const created = await runCli(
        [
          'change',
          'create',
          '--title',
          'Patch db-1',
          '--type',
          'emergency',
          '--item',
          server.id,
          '--start',
          '2031-01-01T10:00:00Z',
          '--end',
          '2031-01-01T11:00:00Z',
        ],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const key = /^(CHG-\d+) Patch db-1$/m.exec(created.stdout)?.[1];
      expect(key).toBeDefined();
      expect(created.stdout).toContain('No successful backup in the last 7 days of db-1');
      expect((await runCli(['change', 'move', key!, 'assessment'], env)).code).toBe(0);
      const auth = await runCli(['change', 'move', key!.toLowerCase(), 'authorisation'], env);
      expect(auth.stdout).toContain('approval 1: CAB, any (1 needed), pending');
      const bad = await runCli(['change', 'move', key!, 'closed'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('allowed: cancelled');
      expect((await runCli(['change', 'reject', key!], env)).code).toBe(2);
      expect((await runCli(['change', 'move', key!, 'sideways'], env)).code).toBe(2);
      const ok = await runCli(['change', 'approve', key!, '--reason', 'go'], env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('emergency change, scheduled');
      const list = await runCli(['change', 'list', '--status', 'scheduled'], env);
      expect(list.stdout).toContain(`${key}  scheduled`);
      expect((await runCli(['change', 'show', 'CHG-999999'], env)).stderr).toContain(
        'there is no change CHG-999999',
      );
    },
    SLOW_CLI_MS,
  );
});
