/**
 * Two Steward processes on one PostgreSQL database: each remembers resolved API tokens, and a revocation or
 * a deactivation made through one reaches the other through a PostgreSQL notification. (On PGlite one process
 * owns the database, so there is nothing to share; this file runs in the PostgreSQL pass.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../test/support/server.js';
import { loadConfig } from '../../config.js';
import { openDatabase, type Database } from '../../db/connect.js';
import { buildServer, type Server } from '../../main.js';
import { createUser } from '../users/index.js';
import { createToken } from './index.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('API tokens across processes sharing PostgreSQL', () => {
  let other: TestServer;
  let database: Database;
  let here: Server;

  beforeAll(async () => {
    other = await startTestServer();
    database = await openDatabase({ databaseUrl: other.env.DATABASE_URL, dataDir: '/nonexistent' });
    here = await buildServer(
      loadConfig({
        STEWARD_DATA_DIR: '/nonexistent',
        LOG_LEVEL: 'silent',
        STEWARD_JOBS: 'off',
        // Processes sharing a database share the master key (the audit chain is keyed with it).
        STEWARD_MASTER_KEY_FILE: `${other.env.STEWARD_DATA_DIR}/master.key`,
        STEWARD_AUDIT_CHECKPOINT_FILE: `${other.env.STEWARD_DATA_DIR}/audit-checkpoints.jsonl`,
      }),
      { database, logger: false },
    );
  });
  afterAll(async () => {
    await here?.close();
    await database?.close();
    await other?.stop();
  });

  const system = { userId: null, role: 'admin', label: 'test', via: 'system' } as const;
  const newToken = async (role: 'agent' | 'admin') => {
    const u = await createUser(here.ctx, system, {
      email: `p${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.com`,
      name: 'P',
      role,
      password: 'a long enough password',
      teamIds: [],
    });
    const t = await createToken(here.ctx, { ...system, userId: u.id, label: u.email }, { name: 't' });
    return { user: u, token: t.token, id: t.id };
  };
  /** A request to the other process. */
  const there = (token: string) =>
    fetch(`${other.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
    );
  const soon = async (token: string, status: number) => {
    let got = 0;
    for (let i = 0; i < 200 && got !== status; i++) {
      got = await there(token);
      if (got !== status) await new Promise((r) => setTimeout(r, 10));
    }
    return got;
  };

  it('stops accepting a token in the other process once it is revoked here', async () => {
    const t = await newToken('agent');
    // The other process resolves (and remembers) the token.
    expect(await there(t.token)).toBe(200);
    expect(await there(t.token)).toBe(200);
    const r = await here.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${t.id}`,
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(r.statusCode).toBe(204);
    expect(await soon(t.token, 401)).toBe(401);
  });

  it('stops accepting the tokens of a user deactivated here', async () => {
    const admin = await newToken('admin');
    const t = await newToken('agent');
    expect(await there(t.token)).toBe(200);
    const cur = await here.app.inject({
      method: 'GET',
      url: `/api/v1/users/${t.user.id}`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const off = await here.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${t.user.id}`,
      payload: { active: false },
      headers: { authorization: `Bearer ${admin.token}`, 'if-match': cur.headers.etag as string },
    });
    expect(off.statusCode).toBe(200);
    expect(await soon(t.token, 401)).toBe(401);
  });
});
