// First run: the set-up token a server makes while no admin exists, and the public set-up endpoint that creates
// exactly one first admin however many requests race for it.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/support/db.js';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/connect.js';
import { buildServer, type Server } from '../../main.js';

describe('first run: the set-up token and the first admin', () => {
  let server: Server;
  let database: Database;
  const dir = mkdtempSync(join(tmpdir(), 'steward-first-run-'));
  const post = (url: string, payload: object) => server.app.inject({ method: 'POST', url, payload });

  beforeAll(async () => {
    database = await freshDatabase();
    server = await buildServer(
      loadConfig({
        STEWARD_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        STEWARD_JOBS: 'off',
        STEWARD_MASTER_KEY_FILE: join(dir, 'master.key'),
      }),
      { database, logger: false },
    );
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says set-up is needed and writes the token to a file only its owner can read', async () => {
    const state = await server.app.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(state.statusCode).toBe(200);
    expect(state.json()).toEqual({ needed: true });
    expect(server.firstRun?.token).toMatch(/^stw_setup_/);
    const file = join(dir, 'setup-token');
    expect(server.firstRun?.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rows = await database.db.selectFrom('setup_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(server.firstRun?.token);
  });

  it('refuses a wrong token and a weak password, and writes nothing', async () => {
    const wrong = await post('/api/v1/setup/admin', {
      token: 'stw_setup_not-the-right-token-at-all',
      email: 'root@example.com',
      name: 'Root',
      password: 'long enough password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'setup_token_invalid' });
    expect(wrong.json().detail).toContain('set-up token');
    const weak = await post('/api/v1/setup/admin', {
      token: server.firstRun?.token,
      email: 'root@example.com',
      name: 'Root',
      password: 'rootrootrootroot',
    });
    expect(weak.statusCode).toBe(400);
    const unknownField = await post('/api/v1/setup/admin', {
      token: server.firstRun?.token,
      email: 'root@example.com',
      name: 'Root',
      password: 'long enough password',
      role: 'admin',
    });
    expect(unknownField.statusCode).toBe(400);
    expect(await database.db.selectFrom('users').select('id').execute()).toHaveLength(0);
  });

  it('creates exactly one admin from 30 parallel requests, then the token and its file are gone', async () => {
    const token = server.firstRun?.token ?? '';
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('/api/v1/setup/admin', {
          token,
          email: `first${i}@example.com`,
          name: `First ${i}`,
          password: 'a long and unusual password',
        }),
      ),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(29);
    expect(answers.find((a) => a.statusCode === 409)?.json().code).toBe('setup_done');
    const admins = await database.db.selectFrom('users').select(['role']).execute();
    expect(admins).toEqual([{ role: 'admin' }]);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({
      needed: false,
    });
    expect(existsSync(join(dir, 'setup-token'))).toBe(false);
    expect(await database.db.selectFrom('setup_tokens').select('token_hash').execute()).toHaveLength(0);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('action', '=', 'user.created')
      .execute();
    expect(audit).toEqual([{ action: 'user.created', actor_label: 'set-up token' }]);
    // Signing in works with the password chosen.
    const created = answers.find((a) => a.statusCode === 201)?.json();
    const login = await post('/api/v1/auth/login', {
      email: created.email,
      password: 'a long and unusual password',
    });
    expect(login.statusCode).toBe(200);
  }, 120_000);

  it('answers the web app’s session probe with 200 and no session when signed out', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/api/v1/auth/current' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ session: null });
  });
});
