import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';
import { reportOf } from '../../test/support/devices.js';

describe('steward change', () => {
  const cli = useCliServer();
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const dir = mkdtempSync(join(tmpdir(), 'steward-cli-change-'));
  /** A computer enrolled and reported by its agent, as the server sees it: its id. */
  const enrolled = async (hostname: string): Promise<string> => {
    const { token } = await cli.api<{ token: string }>('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
    });
    const uuid = randomUUID();
    const post = async (path: string, body: unknown, auth?: string) => {
      const r = await fetch(`${cli.srv.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(r.status, path).toBeLessThan(300);
      return (await r.json()) as Record<string, string>;
    };
    const agent = await post('/api/v1/agents/enrol', { enrolmentToken: token, hostname, systemUuid: uuid });
    return (await post('/api/v1/agents/report', reportOf(hostname, uuid), agent.token)).ciId!;
  };

  it(
    'raises, shows, moves and approves changes by their key',
    async () => {
      expect((await runCli(['change', 'list'], cli.env)).stdout).toContain('no changes');
      const me = (await cli.api('GET', '/api/v1/auth/session')) as unknown as { user: { id: string } };
      const team = await cli.api('POST', '/api/v1/teams', { name: 'CAB', memberIds: [me.user.id] });
      const routes = (await cli.api('GET', '/api/v1/change-approval-routes')) as unknown as {
        items: { route: string; version: number }[];
      };
      for (const r of routes.items)
        await cli.api(
          'PUT',
          `/api/v1/change-approval-routes/${r.route}`,
          { levels: [{ teamId: team.id, rule: 'any' }] },
          {
            'if-match': `"v${r.version}"`,
          },
        );
      const server = await cli.api('POST', '/api/v1/cis', {
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
        cli.env,
      );
      expect(created.code, created.stderr).toBe(0);
      const key = /^(CHG-\d+) Patch db-1$/m.exec(created.stdout)?.[1];
      expect(key).toBeDefined();
      expect(created.stdout).toContain('No successful backup in the last 7 days of db-1');
      expect((await runCli(['change', 'move', key!, 'assessment'], cli.env)).code).toBe(0);
      const auth = await runCli(['change', 'move', key!.toLowerCase(), 'authorisation'], cli.env);
      expect(auth.stdout).toContain('approval 1: CAB, any (1 needed), pending');
      const bad = await runCli(['change', 'move', key!, 'closed'], cli.env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('allowed: cancelled');
      expect((await runCli(['change', 'reject', key!], cli.env)).code).toBe(2);
      expect((await runCli(['change', 'move', key!, 'sideways'], cli.env)).code).toBe(2);
      const ok = await runCli(['change', 'approve', key!, '--reason', 'go'], cli.env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('emergency change, scheduled');
      const list = await runCli(['change', 'list', '--status', 'scheduled'], cli.env);
      expect(list.stdout).toContain(`${key}  scheduled`);
      expect((await runCli(['change', 'show', 'CHG-999999'], cli.env)).stderr).toContain(
        'there is no change CHG-999999',
      );
    },
    SLOW_CLI_MS,
  );

  it(
    'moves a change through every state, waits for restore points of backed-up items, or goes without one with a reason',
    async () => {
      const tpl = await cli.api('POST', '/api/v1/change-templates', {
        name: 'Config tweak',
        type: 'standard',
      });
      const run = async (args: string[]) => runCli(['change', ...args], cli.env);
      const raise = async (title: string, items: string[], h: number) => {
        const r = await run([
          'create',
          '--title',
          title,
          '--template',
          tpl.id,
          ...(items.length ? ['--item', ...items] : []),
          '--start',
          `2031-02-0${h}T10:00:00Z`,
          '--end',
          `2031-02-0${h}T11:00:00Z`,
        ]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('standard change, draft');
        return /^(CHG-\d+) /m.exec(r.stdout)![1]!;
      };
      const through = async (key: string, states: string[]) => {
        for (const to of states) {
          const r = await run(['move', key, to]);
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout).toContain(`standard change, ${to}`);
        }
      };
      // No item backed up: straight through, closed with its outcome.
      const plain = await raise('Rotate logs', [], 1);
      await through(plain, ['assessment', 'scheduled', 'implementing', 'review']);
      const closed = await run(['move', plain, 'closed', '--outcome', 'successful', '--lessons', 'none']);
      expect(closed.code, closed.stderr).toBe(0);
      expect(closed.stdout).toContain('standard change, closed (successful)');
      // A waiver goes only with implementing, and needs a reason.
      expect((await run(['move', plain, 'review', '--without-restore-point', 'x'])).code).toBe(2);

      // A computer Steward backs up: implementing waits for its restore point, with a clear message.
      const device = await enrolled('db-9');
      const target = await cli.api('POST', '/api/v1/backup/targets', { name: 'Disk', location: dir });
      await cli.api('PUT', `/api/v1/backup/repositories/${device}`, { targetId: target.id });
      const key = await raise('Tune db-9', [device], 2);
      await through(key, ['assessment', 'scheduled']);
      const waits = await run(['move', key, 'implementing']);
      expect(waits.code).toBe(3);
      expect(waits.stdout).toContain('restore point of db-9: requested');
      expect(waits.stderr).toContain(`${key} is still scheduled: implementing waits for a restore point`);
      expect(waits.stderr).toContain('--without-restore-point <reason>');
      expect((await run(['move', key, 'implementing', '--without-restore-point', ' '])).code).toBe(2);
      const waived = await run([
        'move',
        key,
        'implementing',
        '--without-restore-point',
        'the agent is offline',
      ]);
      expect(waived.code, waived.stderr).toBe(0);
      expect(waived.stdout).toContain('standard change, implementing');
      expect(waived.stdout).toContain('no restore point: the agent is offline');
      await through(key, ['review']);
      const backedOut = await run(['move', key, 'closed', '--outcome', 'backed_out']);
      expect(backedOut.code, backedOut.stderr).toBe(0);
      expect(backedOut.stdout).toContain('closed (backed out)');
    },
    SLOW_CLI_MS,
  );
});
