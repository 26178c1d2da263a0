/**
 * Several Steward processes on one PostgreSQL database seal one audit chain: a real server process and one in
 * this process, writing at once, with the same master key. A process given another key refuses to start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../../contracts/index.js';
import { SLOW_CLI_MS, startTestServer, type TestServer } from '../../../../test/support/server.js';
import { loadConfig } from '../../config.js';
import { openDatabase, type Database } from '../../db/connect.js';
import { buildServer, type Server } from '../../main.js';
import { createToken } from '../../modules/tokens/index.js';
import { createUser } from '../../modules/users/index.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('one audit chain sealed by several processes sharing PostgreSQL', () => {
  let other: TestServer;
  let database: Database;
  let here: Server;
  const dirs: string[] = [];
  const config = (keyFile: string) =>
    loadConfig({
      STEWARD_DATA_DIR: '/nonexistent',
      LOG_LEVEL: 'silent',
      STEWARD_JOBS: 'off',
      STEWARD_MASTER_KEY_FILE: keyFile,
      STEWARD_AUDIT_CHECKPOINT_FILE: `${other.env.STEWARD_DATA_DIR}/audit-checkpoints.jsonl`,
    });

  beforeAll(async () => {
    other = await startTestServer();
    database = await openDatabase({ databaseUrl: other.env.DATABASE_URL, dataDir: '/nonexistent' });
    here = await buildServer(config(`${other.env.STEWARD_DATA_DIR}/master.key`), { database, logger: false });
  });
  afterAll(async () => {
    await here?.close();
    await database?.close();
    await other?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(
    'chains 60 writes made at once through both processes exactly once, in one intact chain',
    async () => {
      const system = { userId: null, role: 'admin', label: 'test', via: 'system' } as const;
      const admin = await createUser(here.ctx, system, {
        email: 'chain-admin@example.com',
        name: 'Chain Admin',
        role: 'admin',
        password: 'a long enough password',
        teamIds: [],
      });
      const { token } = await createToken(
        here.ctx,
        { ...system, userId: admin.id, label: admin.email },
        { name: 't' },
      );
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const statuses = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 2 === 0
            ? fetch(`${other.url}/api/v1/teams`, {
                method: 'POST',
                headers,
                body: JSON.stringify({ name: `There ${i}` }),
              }).then((r) => r.status)
            : here.app
                .inject({ method: 'POST', url: '/api/v1/teams', headers, payload: { name: `Here ${i}` } })
                .then((r) => r.statusCode),
        ),
      );
      expect(statuses.every((s) => s === 201)).toBe(true);
      let v: AuditVerification | undefined;
      for (let i = 0; i < 100; i++) {
        await here.sealer.kick();
        v = (
          await here.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers })
        ).json<AuditVerification>();
        if (v.unsealed === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(v).toMatchObject({ ok: true, status: 'intact', unsealed: 0, legacy: 0, problems: [] });
      expect(v!.checked).toBeGreaterThanOrEqual(62);
      const teams = await database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', 'team.created')
        .where('seq', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(Number(teams.n)).toBe(60);
    },
    SLOW_CLI_MS,
  );

  it('refuses to start a process whose master key differs from the one the chain is sealed with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-otherkey-'));
    dirs.push(dir);
    const db2 = await openDatabase({ databaseUrl: other.env.DATABASE_URL, dataDir: '/nonexistent' });
    try {
      await expect(
        buildServer(config(join(dir, 'master.key')), { database: db2, logger: false }),
      ).rejects.toThrow(/another master key/);
    } finally {
      await db2.close();
    }
  });
});
