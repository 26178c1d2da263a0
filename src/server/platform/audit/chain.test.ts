import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { freshDatabase } from '../../../../test/support/db.js';
import { loadConfig } from '../../config.js';
import { buildServer } from '../../main.js';
import { loadMasterKey } from '../master-key.js';
import { record } from './audit.service.js';
import { type ChainedFields, entryHash } from './canonical.js';
import { chainKeys } from './keys.js';
import { verifyChain } from './verify.js';

const MIGRATION_0021 = new URL('../../db/migrations/0021_audit_keyed_chain.sql', import.meta.url);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A server whose master key and checkpoint file live in a folder of its own. */
async function server(): Promise<TestApp & { checkpoints: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-chain-'));
  dirs.push(dir);
  const checkpoints = join(dir, 'checkpoints.jsonl');
  const app = await setup({
    STEWARD_MASTER_KEY_FILE: join(dir, 'master.key'),
    STEWARD_AUDIT_CHECKPOINT_FILE: checkpoints,
  });
  return Object.assign(app, { checkpoints });
}

async function writes(app: TestApp, n: number, prefix = 'T'): Promise<void> {
  for (let i = 0; i < n; i++) await app.as(app.admin).post('/api/v1/teams', { name: `${prefix} ${i}` });
  await app.server.sealer.kick();
}

/** Runs statements "behind Steward's back": with the append-only trigger off, as someone with DB access can. */
async function tamper(app: TestApp, ...statements: ReturnType<typeof sql>[]): Promise<void> {
  await app.database.db.transaction().execute(async (tx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
    for (const s of statements) await s.execute(tx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
  });
}

async function verify(app: TestApp) {
  const r = await app.as(app.admin).get('/api/v1/audit/verify');
  expect(r.statusCode).toBe(200);
  return r.json<{ ok: boolean; problems: { seq: string | null; problem: string; kind?: string }[] }>();
}

/** A sealed entry: the fields the chain protects, and its link. */
interface Row extends ChainedFields {
  hash: string;
}

/** The link without the key, with the function Steward ships (what anyone with the source can compute). */
const unkeyedHash = (prev: string, e: Row): string => entryHash(prev, e, null);

async function sealedRows(app: TestApp): Promise<Row[]> {
  return (await sql<Row>`SELECT * FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`.execute(app.database.db))
    .rows;
}

describe('the audit chain against someone with write access to the database', () => {
  it('detects an entry edited and every later hash recomputed with the published function', async () => {
    const app = await server();
    await writes(app, 4);
    const rows = await sealedRows(app);
    const forged = rows.map((r) => (r.seq === '2' ? { ...r, after: { name: 'forged' } } : r));
    let prev = '0'.repeat(64);
    const fixes = forged.map((r) => {
      const hash = unkeyedHash(prev, r);
      const s = sql`UPDATE audit_log SET after = ${JSON.stringify(r.after)}::jsonb, prev_hash = ${prev},
        hash = ${hash} WHERE id = ${r.id}`;
      prev = hash;
      return s;
    });
    await tamper(app, ...fixes, sql`UPDATE audit_chain_head SET hash = ${prev}`);
    const v = await verify(app);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ seq: '1', problem: expect.stringMatching(/modified/) });
    await app.close();
  });

  it('detects the newest entries deleted and the head rewound to the new last entry', async () => {
    const app = await server();
    await writes(app, 5);
    const rows = await sealedRows(app);
    const last = rows.at(-3)!;
    await tamper(
      app,
      sql`DELETE FROM audit_log WHERE seq > ${last.seq}::bigint`,
      sql`UPDATE audit_chain_head SET seq = ${last.seq}::bigint, hash = ${last.hash}`,
    );
    const v = await verify(app);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(
      expect.objectContaining({ problem: expect.stringMatching(/head was altered/) }),
    );
    await app.close();
  });

  it('detects truncation back to a saved head, from a checkpoint kept outside the database', async () => {
    const app = await server();
    await writes(app, 3);
    const saved = await app.database.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    await writes(app, 3, 'Later');
    // The periodic checkpoint job (cron) fires: run the schedules as they will be in an hour.
    await app.server.jobs?.runDue(new Date(Date.now() + 3_600_000));
    expect(existsSync(app.checkpoints)).toBe(true);
    const cp = JSON.parse(readFileSync(app.checkpoints, 'utf8').trim().split('\n').at(-1)!) as {
      seq: string;
    };
    expect(Number(cp.seq)).toBeGreaterThan(Number(saved.seq));
    await tamper(
      app,
      sql`DELETE FROM audit_log WHERE seq > ${saved.seq}::bigint`,
      sql`DELETE FROM audit_chain_head`,
      sql`INSERT INTO audit_chain_head SELECT * FROM json_populate_record(NULL::audit_chain_head, ${JSON.stringify(saved)}::json)`,
    );
    const v = await verify(app);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(
      expect.objectContaining({ kind: 'truncated', problem: expect.stringMatching(/checkpoint/) }),
    );
    await app.close();
  });

  it('refuses to seal an entry inserted with a time before the chain head, and reports it', async () => {
    const app = await server();
    await writes(app, 3);
    const yesterday = new Date(Date.now() - 86_400_000);
    await sql`INSERT INTO audit_log (at, actor_label, action, entity_type, entity_id, after)
      VALUES (${yesterday}, 'rita@example.com', 'ticket.deleted', 'ticket', 'INC-42', '{}'::jsonb)`.execute(
      app.database.db,
    );
    await writes(app, 1, 'After');
    const row = await app.database.db
      .selectFrom('audit_log')
      .select(['seq'])
      .where('action', '=', 'ticket.deleted')
      .executeTakeFirstOrThrow();
    expect(row.seq).toBeNull();
    const v = await verify(app);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(
      expect.objectContaining({ kind: 'refused', problem: expect.stringMatching(/before/) }),
    );
    await app.close();
  });
});

describe('entries dated in the future', () => {
  it('are refused too (one would otherwise move the head past every later entry)', async () => {
    const app = await server();
    await writes(app, 1);
    const later = new Date(Date.now() + 86_400_000);
    await sql`INSERT INTO audit_log (at, actor_label, action, entity_type, entity_id)
      VALUES (${later}, 'rita@example.com', 'ticket.closed', 'ticket', 'INC-7')`.execute(app.database.db);
    await writes(app, 1, 'After');
    const v = await verify(app);
    expect(v.problems).toEqual([
      expect.objectContaining({ kind: 'refused', problem: expect.stringMatching(/in the future/) }),
    ]);
    const head = await app.database.db.selectFrom('audit_chain_head').select('at').executeTakeFirstOrThrow();
    expect(head.at!.getTime()).toBeLessThan(Date.now() + 60_000);
    await app.close();
  });
});

describe('a chain sealed before the chain was keyed (upgrade through migration 0021)', () => {
  it('stays verifiable as legacy up to the recorded entry, keyed from then on', async () => {
    const database = await freshDatabase();
    // The state an older Steward left: entries sealed with the unkeyed hash, a head of (seq, hash) only.
    await database.db.transaction().execute(async (tx) => {
      let prev = '0'.repeat(64);
      for (let i = 1; i <= 3; i++) {
        const { rows } =
          await sql<Row>`INSERT INTO audit_log (at, actor_label, action, entity_type, entity_id)
          VALUES (${new Date(Date.now() - (10 - i) * 60_000)}, 'cli:root', 'team.created', 'team', ${String(i)})
          RETURNING *`.execute(tx);
        const row = { ...rows[0]!, seq: String(i) };
        const hash = unkeyedHash(prev, row);
        await sql`UPDATE audit_log SET seq = ${i}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${row.id}`.execute(
          tx,
        );
        prev = hash;
      }
      await sql`INSERT INTO audit_chain_head (seq, hash) VALUES (3, ${prev})`.execute(tx);
    });
    await sql.raw(readFileSync(MIGRATION_0021, 'utf8')).execute(database.db);
    const dir = mkdtempSync(join(tmpdir(), 'steward-upgrade-'));
    dirs.push(dir);
    const server = await buildServer(
      loadConfig({
        STEWARD_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        STEWARD_JOBS: 'off',
      }),
      { database, logger: false },
    );
    const keys = chainKeys(loadMasterKey(join(dir, 'master.key'), { create: false }));
    await server.ctx.tx((db) =>
      record(
        db,
        { userId: null, role: 'admin', label: 'test', via: 'system' },
        'team.created',
        { type: 'team', id: '4' },
        null,
        {},
      ),
    );
    await server.sealer.kick();
    const v = await verifyChain(database.db, keys);
    expect(v).toMatchObject({ ok: true, legacy: 3, checked: 4, problems: [] });
    // A legacy entry edited (its link recomputed) is still caught: the first keyed entry links to its old hash.
    await database.db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
      await sql`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 3`.execute(tx);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
    });
    expect((await verifyChain(database.db, keys)).problems).toEqual([
      expect.objectContaining({ seq: '3', kind: 'modified' }),
    ]);
    await server.close();
    await database.close();
  });
});
