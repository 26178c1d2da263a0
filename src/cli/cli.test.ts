import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/connect.js';
import { runCli, startTestServer, type TestServer } from '../../test/support/server.js';

describe('steward CLI', () => {
  let srv: TestServer;
  let token = '';
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => srv.stop());

  it('prints help for every command and exits 0', async () => {
    const r = await runCli(['--help'], {});
    expect(r.code).toBe(0);
    for (const c of ['start', 'migrate', 'admin', 'user', 'team', 'token', 'audit'])
      expect(r.stdout).toContain(c);
    const sub = await runCli(['token', 'create', '--help'], {});
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--expires-in-days');
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['frobnicate'], {})).code).toBe(2);
    const r = await runCli(
      ['admin', 'create', '--email', 'not-an-email', '--name', 'X'],
      srv.env,
      'long enough password\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--email');
    const short = await runCli(
      ['admin', 'create', '--email', 'a@example.com', '--name', 'X'],
      srv.env,
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12');
  });

  it('refuses to open the embedded database while the server holds it', async () => {
    if (srv.env.DATABASE_URL) return; // PostgreSQL has no such lock: the command just works there.
    const r = await runCli(
      ['admin', 'create', '--email', 'b@example.com', '--name', 'B'],
      srv.env,
      'long enough password\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in use by Steward process \d+/);
  });

  it('creates a token by signing in, then manages users and teams with it', async () => {
    const env = { ...srv.env, STEWARD_URL: srv.url };
    const t = await runCli(
      ['token', 'create', '--name', 'cli', '--email', srv.adminEmail],
      env,
      `${srv.adminPassword}\n`,
    );
    expect(t.stderr).toContain('only time');
    expect(t.code).toBe(0);
    token = t.stdout.trim();
    expect(token).toMatch(/^stw_/);
    const withToken = { ...env, STEWARD_TOKEN: token };
    const u = await runCli(
      ['user', 'create', '--email', 'carol@example.com', '--name', 'Carol', '--role', 'agent', '--json'],
      withToken,
    );
    expect(u.code).toBe(0);
    const carol = JSON.parse(u.stdout) as { id: string };
    const team = await runCli(['team', 'create', 'Desk', '--json'], withToken);
    const desk = JSON.parse(team.stdout) as { id: string };
    const add = await runCli(['team', 'add-member', desk.id, carol.id, '--json'], withToken);
    expect(JSON.parse(add.stdout).memberIds).toEqual([carol.id]);
    const list = await runCli(['user', 'list'], withToken);
    expect(list.stdout).toContain('carol@example.com');
    const dup = await runCli(
      ['user', 'create', '--email', 'carol@example.com', '--name', 'Carol 2'],
      withToken,
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const tokens = (await (
      await fetch(`${srv.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      items: { id: string }[];
    };
    const revoke = await runCli(['token', 'revoke', tokens.items[0]?.id ?? ''], withToken);
    expect(revoke.code).toBe(0);
    const after = await runCli(['user', 'list'], withToken);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('STEWARD_TOKEN');
  }, 300_000);

  it('reports an unreachable server clearly', async () => {
    const r = await runCli(['user', 'list', '--server', 'http://127.0.0.1:9', '--token', 'x'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Steward');
  });
});

describe('steward migrate, admin create and audit verify on a stopped server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const env = { STEWARD_DATA_DIR: dataDir, DATABASE_URL: undefined };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, bootstraps an admin, verifies, and detects tampering', async () => {
    const m = await runCli(['migrate'], env);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('applied: 0001_foundation.sql');
    expect((await runCli(['migrate'], env)).stdout).toContain('up to date');
    const a = await runCli(
      ['admin', 'create', '--email', 'root@example.com', '--name', 'Root'],
      env,
      'long enough password\n',
    );
    expect(a.code).toBe(0);
    const again = await runCli(
      ['admin', 'create', '--email', 'ROOT@example.com', '--name', 'Root'],
      env,
      'long enough password\n',
    );
    expect(again.code).toBe(1);
    const ok = await runCli(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('intact');
    const d = await openDatabase({ dataDir });
    await d.db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
      await sql`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 1`.execute(tx);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
    });
    await d.close();
    const bad = await runCli(['audit', 'verify', '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.slice(0, bad.stdout.lastIndexOf('}') + 1))).toMatchObject({ ok: false });
  }, 300_000);

  it('refuses to bootstrap an admin with a common or repeated password', async () => {
    for (const weak of ['Qwertyuiop2024!', 'rootrootrootroot']) {
      const r = await runCli(
        ['admin', 'create', '--email', 'weak@example.com', '--name', 'Weak'],
        env,
        `${weak}\n`,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/password (is one of the most common passwords|repeats too few characters)/);
    }
  }, 120_000);
});
