import { describe, expect, it } from 'vitest';
import { useCliServer } from '../../test/support/cli-api.js';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';

/** `steward report …` through a real server process. */
describe('steward report', () => {
  const server = useCliServer();
  const api = server.api;
  const cli = (...args: string[]) => runCli(args, server.env);

  it(
    'schedules a report by names and e-mail addresses, shows it, sends it now and deletes it',
    async () => {
      const tom = await api('POST', '/api/v1/users', {
        email: 'tom@example.com',
        name: 'Tom Agent',
        role: 'agent',
        password: 'correct horse battery staple 42',
        teamIds: [],
      });
      await api('POST', '/api/v1/teams', { name: 'Network team', memberIds: [tom.id] });
      await api('POST', '/api/v1/cis', { classKey: 'service', name: 'Payroll' });
      const made = await cli(
        'report',
        'create',
        '--name',
        'Payroll monthly',
        '--kpis',
        'sla_resolution,backlog',
        '--service',
        'payroll',
        '--to',
        'tom@example.com',
        '--to-team',
        'network team',
        '--monthly',
        '2',
        '--hour',
        '7',
      );
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain(
        'scheduled Payroll monthly  (monthly on day 2 at 7:00 UTC; last sent never)',
      );
      // bad input: a weekday that is not one, a KPI that is not one (the server's 400), an unknown report
      const day = await cli(
        'report',
        'create',
        '--name',
        'x',
        '--kpis',
        'backlog',
        '--to',
        'tom@example.com',
        '--weekly',
        'funday',
      );
      expect([day.code, day.stderr]).toEqual([2, 'steward: --weekly: a weekday (monday … sunday)\n']);
      const kpi = await cli(
        'report',
        'create',
        '--name',
        'x',
        '--kpis',
        'happiness',
        '--to',
        'tom@example.com',
      );
      expect(kpi.code).not.toBe(0);
      expect(kpi.stderr).toContain('kpis');
      expect((await cli('report', 'show', 'Nope')).stderr).toContain('you have no report “Nope”');
      expect((await cli('report', 'list')).stdout).toContain('Payroll monthly');
      const sent = await cli('report', 'send', 'payroll MONTHLY');
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stdout).toMatch(/^queued “Payroll monthly” for \d{4}-\d\d-01 to /);
      const shown = await cli('report', 'show', 'Payroll monthly');
      expect(shown.stdout).toContain('sla_resolution, backlog; last_month; pdf and csv');
      expect(shown.stdout).toContain('to Tom Agent, team Network team');
      expect(shown.stdout).toMatch(/ manual {2}\d{4}-\d\d-01 to /);
      expect((await cli('report', 'delete', 'Payroll monthly')).stdout).toBe('deleted “Payroll monthly”\n');
      expect((await cli('report', 'list')).stdout).toBe('no reports\n');
    },
    SLOW_CLI_MS,
  );
});
