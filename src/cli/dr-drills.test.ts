import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiToken, runCli, startTestServer, type TestServer } from '../../test/support/server.js';

/**
 * `steward dr drill` and `steward dr drills` against a real server: a plan whose database server has no backup
 * repository drills red (exit code 1, the reason in words, a problem opened), and the history shows it.
 */
describe('steward dr drill', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.STEWARD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(r.status, await r.clone().text()).toBeLessThan(300);
    return (await r.json()) as { id: string };
  };
  beforeAll(async () => {
    srv = await startTestServer({ env: { STEWARD_JOBS_POLL_MS: '100' } });
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: await adminApiToken(srv) };
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('drills a plan by name, waits for its restores and lists its history', async () => {
    const svc = await api('POST', '/api/v1/cis', {
      classKey: 'service',
      name: 'Payroll',
      status: 'deployed',
    });
    const db = await api('POST', '/api/v1/cis', { classKey: 'server', name: 'PAY-DB-1', status: 'deployed' });
    await api('POST', `/api/v1/cis/${svc.id}/relationships`, { type: 'runs_on', toId: db.id });
    await api('POST', '/api/v1/dr/plans', {
      serviceId: svc.id,
      name: 'Payroll recovery',
      rtoMinutes: 240,
      rpoMinutes: 60,
      reviewDue: '2027-06-30',
      steps: [{ title: 'Check the pay run' }],
    });
    const drill = await runCli(['dr', 'drill', 'payroll recovery'], env);
    expect(drill.code, drill.stderr).toBe(1);
    expect(drill.stdout).toContain('Drill of the Payroll recovery plan: failed');
    expect(drill.stdout).toContain('   1. failed  Restore PAY-DB-1: it has no backup repository');
    expect(drill.stdout).toMatch(/problem PRB-\d+ opened/);
    expect(drill.stderr).toContain(
      'the drill failed: PAY-DB-1 could not be restored: it has no backup repository',
    );
    const list = await runCli(['dr', 'drills', 'Payroll recovery'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('1 drill: 0 passed, 1 failed');
    expect(list.stdout).toMatch(/failed {4}manual {3}RTO \d+ s \(target 4\.0 h\)/);
    expect((await runCli(['dr', 'drills', 'No such plan'], env)).stderr).toContain(
      'no disaster-recovery plan is called “No such plan”',
    );
  });
});
