import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/server.js';
import { openDatabase } from '../server/db/connect.js';

describe('steward audit verify --checkpoints', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-cli-audit-'));
  const env = { STEWARD_DATA_DIR: dataDir, DATABASE_URL: undefined };
  const checkpoints = join(dataDir, 'published', 'checkpoints.jsonl');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const admin = (n: number) =>
    runCli(
      ['admin', 'create', '--email', `root${n}@example.com`, '--name', `Root ${n}`],
      env,
      'long enough password\n',
    );

  /** What the server's checkpoint job does, into `checkpoints`. */
  async function publish(): Promise<void> {
    const r = await runCli(['audit', 'checkpoint', '--file', checkpoints], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/checkpoint at entry \d+ appended/);
  }

  it('reports intact, then truncated once the newest entries are deleted and an older head put back', async () => {
    expect((await admin(1)).code).toBe(0);
    await publish();
    let d = await openDatabase({ dataDir });
    const saved = await d.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    await d.close();
    expect((await admin(2)).code).toBe(0);
    await publish();
    const ok = await runCli(['audit', 'verify', '--checkpoints', checkpoints], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 checkpoints read');
    expect(ok.stdout).toContain('the chain is intact');

    d = await openDatabase({ dataDir });
    await d.db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
      await sql`DELETE FROM audit_log WHERE seq > ${saved.seq}::bigint`.execute(tx);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
      await tx.updateTable('audit_chain_head').set(saved).execute();
    });
    await d.close();
    // Inside the database everything agrees: only the checkpoint kept outside it shows what is gone.
    const blind = await runCli(['audit', 'verify'], env);
    expect(blind.code).toBe(0);
    expect(blind.stdout).toContain('truncation of the newest entries cannot be detected');
    const caught = await runCli(['audit', 'verify', '--checkpoints', checkpoints], env);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('TRUNCATED');
    expect(caught.stdout).toMatch(/the chain ends at entry \d+, but the checkpoint of .* records entry \d+/);
    const missing = await runCli(['audit', 'verify', '--checkpoints', join(dataDir, 'none.jsonl')], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('none.jsonl does not exist');
  }, 600_000);
});
