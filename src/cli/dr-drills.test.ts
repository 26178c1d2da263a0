import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

/**
 * `steward dr drill` and `steward dr drills` against a real server: a plan whose database server has no backup
 * repository drills red (exit code 1, the reason in words, a problem opened), and the history shows it.
 */
describe('steward dr drill and dr schedule', () => {
  const cli = useCliServer({ env: { STEWARD_JOBS_POLL_MS: '100' } });

  it('drills a plan by name, waits for its restores and lists its history', async () => {
    const svc = await cli.api('POST', '/api/v1/cis', {
      classKey: 'service',
      name: 'Payroll',
      status: 'deployed',
    });
    const db = await cli.api('POST', '/api/v1/cis', {
      classKey: 'server',
      name: 'PAY-DB-1',
      status: 'deployed',
    });
    await cli.api('POST', `/api/v1/cis/${svc.id}/relationships`, { type: 'runs_on', toId: db.id });
    await cli.api('POST', '/api/v1/dr/plans', {
      serviceId: svc.id,
      name: 'Payroll recovery',
      rtoMinutes: 240,
      rpoMinutes: 60,
      reviewDue: '2027-06-30',
      steps: [{ title: 'Check the pay run' }],
    });
    const drill = await runCli(['dr', 'drill', 'payroll recovery'], cli.env);
    expect(drill.code, drill.stderr).toBe(1);
    expect(drill.stdout).toContain('Drill of the Payroll recovery plan: failed');
    expect(drill.stdout).toContain('   1. failed  Restore PAY-DB-1: it has no backup repository');
    expect(drill.stdout).toMatch(/problem PRB-\d+ opened/);
    expect(drill.stderr).toContain(
      'the drill failed: PAY-DB-1 could not be restored: it has no backup repository',
    );
    const list = await runCli(['dr', 'drills', 'Payroll recovery'], cli.env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('1 drill: 0 passed, 1 failed');
    expect(list.stdout).toMatch(/failed {4}manual {3}RTO \d+ s \(target 4\.0 h\)/);
    expect((await runCli(['dr', 'drills', 'No such plan'], cli.env)).stderr).toContain(
      'no disaster-recovery plan is called “No such plan”',
    );
  });

  it('shows and sets a plan’s drill schedule in words, refusing bad patterns and zones by name', async () => {
    const none = await runCli(['dr', 'schedule', 'show', 'payroll recovery'], cli.env);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('The Payroll recovery plan is not drilled on a schedule.');
    const noCron = await runCli(['dr', 'schedule', 'set', 'Payroll recovery', '--off'], cli.env);
    expect(noCron.code).toBe(1);
    expect(noCron.stderr).toContain(
      'the Payroll recovery plan has no drill schedule yet: give its pattern with --cron',
    );
    const bad = await runCli(
      ['dr', 'schedule', 'set', 'Payroll recovery', '--cron', 'first monday'],
      cli.env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('body.cron: not a cron pattern');
    const zone = await runCli(
      ['dr', 'schedule', 'set', 'Payroll recovery', '--cron', '0 9 * * 1#1', '--time-zone', 'Berlin'],
      cli.env,
    );
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('body.timeZone: not a time zone');
    const set = await runCli(
      ['dr', 'schedule', 'set', 'Payroll recovery', '--cron', '0 9 * * 1#1', '--time-zone', 'Europe/Berlin'],
      cli.env,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(
      'The Payroll recovery plan is drilled: Every first Monday at 09:00 Europe/Berlin',
    );
    expect(set.stdout).toMatch(/next drill due Mon, \d{1,2} \w{3} \d{4}, 09:00 \(Europe\/Berlin\)/);
    const off = await runCli(['dr', 'schedule', 'set', 'Payroll recovery', '--off'], cli.env);
    expect(off.stdout).toContain(
      'The Payroll recovery plan’s drill schedule is off (it was: Every first Monday at 09:00 Europe/Berlin).',
    );
    const json = await runCli(['dr', 'schedule', 'show', 'Payroll recovery', '--json'], cli.env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      cron: '0 9 * * 1#1',
      enabled: false,
      version: 2,
      nextRunAt: null,
    });
  });
});
