import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

describe('steward dr plans', () => {
  const cli = useCliServer();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dr-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'lists, shows and exports plans by name',
    async () => {
      expect((await runCli(['dr', 'plans', 'list'], cli.env)).stdout).toContain(
        'no disaster-recovery plans yet',
      );
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
      const plan = await cli.api('POST', '/api/v1/dr/plans', {
        serviceId: svc.id,
        name: 'Payroll recovery',
        rtoMinutes: 240,
        rpoMinutes: 60,
        reviewDue: '2027-06-30',
        steps: [{ title: 'Restore the database', items: [db.id] }],
      });
      const list = await runCli(['dr', 'plans', 'list'], cli.env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(
        `${plan.id}  Payroll recovery  (Payroll)  not ready (2), needs verification, review 2027-06-30`,
      );
      const show = await runCli(['dr', 'plans', 'show', 'payroll recovery'], cli.env);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain('  1. [wave 1] PAY-DB-1 (Server)  last snapshot never (beyond RPO)');
      expect(show.stdout).toContain('  not ready: Step 1 “Restore the database” has no owner.');
      const md = await runCli(['dr', 'plans', 'export', plan.id], cli.env);
      expect(md.stdout).toContain('# Disaster recovery plan: Payroll recovery');
      const file = join(dir, 'plan.pdf');
      const pdf = await runCli(
        ['dr', 'plans', 'export', 'Payroll recovery', '--format', 'pdf', '-o', file],
        cli.env,
      );
      expect(pdf.code, pdf.stderr).toBe(0);
      expect(readFileSync(file).subarray(0, 8).toString()).toBe('%PDF-1.4');
      const missing = await runCli(['dr', 'plans', 'show', 'Nothing'], cli.env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no disaster-recovery plan is named “Nothing”');
      const anonymous = await runCli(['dr', 'plans', 'list'], { ...cli.env, STEWARD_TOKEN: '' });
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain('STEWARD_TOKEN');
    },
    SLOW_CLI_MS,
  );
});
