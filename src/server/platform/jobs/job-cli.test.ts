import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS, startTestServer, type TestServer } from '../../../../test/support/server.js';

describe('steward job (CLI over the admin API)', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    srv = await startTestServer();
    const t = await runCli(
      ['token', 'create', '--name', 'jobs', '--email', srv.adminEmail],
      { ...srv.env, STEWARD_URL: srv.url },
      `${srv.adminPassword}\n`,
    );
    expect(t.code).toBe(0);
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: t.stdout.trim() };
  }, SLOW_CLI_MS);
  afterAll(async () => srv.stop());

  it('lists jobs and reports unknown ids clearly', async () => {
    const list = await runCli(['job', 'list', '--state', 'failed'], env);
    expect(list.code).toBe(0);
    const retry = await runCli(['job', 'retry', randomUUID()], env);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/not found/i);
    const bad = await runCli(['job', 'list', '--state', 'exploded'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('state');
  });

  it('retries and discards a failed job (PostgreSQL: the test can reach the server’s database)', async () => {
    if (!srv.env.DATABASE_URL) return; // PGlite belongs to the server process; the API tests cover retry there.
    const c = new pg.Client({ connectionString: srv.env.DATABASE_URL });
    await c.connect();
    let id: string;
    try {
      // A type no server process defines: it stays where the CLI puts it.
      const r = await c.query<{ id: string }>(
        `insert into jobs (name, state, attempts, last_error, finished_at)
         values ('cli.unknown', 'failed', 5, 'smtp said no', now()) returning id`,
      );
      id = r.rows[0]?.id ?? '';
    } finally {
      await c.end();
    }
    const list = await runCli(['job', 'list', '--state', 'failed'], env);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('smtp said no');
    const retried = await runCli(['job', 'retry', id, '--json'], env);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ id, state: 'pending', attempts: 0 });
    const discarded = await runCli(['job', 'discard', id], env);
    expect(discarded.code).toBe(0);
    expect(discarded.stdout).toMatch(/^discarded .*discarded/);
  });
});
