import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { CreatedToken, Role, User } from '../../src/contracts/index.js';
import { loadConfig } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/connect.js';
import { buildServer, type Server } from '../../src/server/main.js';
import { freshDatabase } from './db.js';

/** A seeded user with a bearer token. */
export interface TestUser extends User {
  token: string;
  password: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Requests as one caller. */
export interface Caller {
  req(
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** What {@link setup} returns. */
export interface TestApp {
  server: Server;
  database: Database;
  /** The first admin, created directly. */
  admin: TestUser;
  anonymous: Caller;
  as(user: { token: string }): Caller;
  /** Creates a user through the API (as the admin) and gives them a token. */
  user(role: Role, fields?: Partial<{ email: string; name: string; password: string }>): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

function caller(server: Server, headers: Record<string, string>): Caller {
  const req = (method: Method, url: string, body?: unknown, extra: Record<string, string> = {}) =>
    server.app.inject({
      method,
      url,
      headers: { ...headers, ...extra },
      ...(body === undefined
        ? {}
        : typeof body === 'string'
          ? { payload: body }
          : { payload: body as object }),
    });
  return {
    req,
    get: (url, h) => req('GET', url, undefined, h),
    post: (url, body, h) => req('POST', url, body, h),
    patch: (url, body, h) => req('PATCH', url, body, h),
    put: (url, body, h) => req('PUT', url, body, h),
    delete: (url, h) => req('DELETE', url, undefined, h),
  };
}

/** A server on a fresh database (or on `db`, which `close()` then closes), with an admin signed in through a token. */
export async function setup(
  env: Record<string, string> = {},
  db?: Database,
  opts: { logStream?: { write(line: string): void } } = {},
): Promise<TestApp> {
  const database = db ?? (await freshDatabase());
  // The master key and the audit checkpoints are files: each server gets a folder of its own for them.
  const keyDir = mkdtempSync(join(tmpdir(), 'steward-keys-'));
  const config = loadConfig({
    STEWARD_DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    STEWARD_MASTER_KEY_FILE: join(keyDir, 'master.key'),
    STEWARD_AUDIT_CHECKPOINT_FILE: join(keyDir, 'audit-checkpoints.jsonl'),
    // Tests drive thousands of requests from one address as one admin: the API limits are tested on purpose
    // (platform/rate-limit.test.ts) and off otherwise.
    STEWARD_API_RATE_PER_USER: '0',
    STEWARD_API_RATE_PER_ADDRESS: '0',
    ...env,
  });
  const server = await buildServer(config, {
    database,
    logger: opts.logStream ? undefined : false,
    logStream: opts.logStream,
  });
  const { createUser } = await import('../../src/server/modules/users/index.js');
  const { createToken } = await import('../../src/server/modules/tokens/index.js');
  const password = 'admin password 123';
  const adminUser = await createUser(
    server.ctx,
    { userId: null, role: 'admin', label: 'test', via: 'system' },
    { email: `admin${++counter}@example.com`, name: 'Admin', role: 'admin', password, teamIds: [] },
  );
  const t: CreatedToken = await createToken(
    server.ctx,
    { userId: adminUser.id, role: 'admin', label: adminUser.email, via: 'system' },
    { name: 'test' },
  );
  const admin: TestUser = { ...adminUser, token: t.token, password };
  const as = (u: { token: string }) => caller(server, { authorization: `Bearer ${u.token}` });
  return {
    server,
    database,
    admin,
    anonymous: caller(server, {}),
    as,
    async user(role, fields = {}) {
      const n = ++counter;
      const pw = fields.password ?? `password number ${n}`;
      const res = await as(admin).post('/api/v1/users', {
        email: fields.email ?? `user${n}@example.com`,
        name: fields.name ?? `User ${n}`,
        role,
        password: pw,
      });
      if (res.statusCode !== 201) throw new Error(`seed user failed: ${res.body}`);
      const u = res.json<User>();
      const tok = await createToken(
        server.ctx,
        { userId: u.id, role, label: u.email, via: 'system' },
        { name: 'test' },
      );
      return { ...u, token: tok.token, password: pw };
    },
    async close() {
      await server.close();
      await database.close();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** Signs in with a password and returns cookie-based request helpers with the CSRF token. */
export async function signIn(app: TestApp, email: string, password: string) {
  const res = await app.anonymous.post('/api/v1/auth/login', { email, password });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'steward_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie: `steward_session=${cookie.value}`, csrf, cookieAttrs: cookie };
}
