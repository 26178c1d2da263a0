/**
 * Migration 0020 on a database that already holds what the old rules let in: one system UUID enrolled several
 * times (in different cases) and one computer bound to several agents. The agent last heard of (its last report,
 * else its enrolment) keeps the machine; the unique indexes then hold.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createPglite, openDatabase } from '../../db/connect.js';
import { loadMigrations, migrate } from '../../db/migrate.js';

describe('migration 0020: one active agent per machine', () => {
  it('keeps the agent last heard of for each system UUID and each computer, and revokes or unbinds the others', async () => {
    const d = await openDatabase({ dataDir: '', pglite: await createPglite() });
    try {
      await migrate(
        d.db,
        loadMigrations().filter((m) => m.name < '0020'),
      );
      const [pc] = (
        await sql<{ id: string }>`INSERT INTO cis (class_key, name, status, custom)
          VALUES ('desktop', 'Shared PC', 'deployed', '{}') RETURNING id`.execute(d.db)
      ).rows;
      const agent = (name: string, uuid: string, reported: string | null, ci: string | null = null) =>
        sql`INSERT INTO agents (token_hash, hostname, system_uuid, ci_id, last_report_at)
          VALUES (${name}, ${name}, ${uuid}, ${ci}, ${reported}::timestamptz)`.execute(d.db);
      await agent('old', 'abc-1', '2026-01-01T00:00:00Z');
      await agent('newest', 'ABC-1', '2026-03-01T00:00:00Z');
      await agent('never', 'abc-1', null);
      await agent('revoked-before', 'abc-1', '2026-04-01T00:00:00Z');
      await sql`UPDATE agents SET revoked_at = now() WHERE hostname = 'revoked-before'`.execute(d.db);
      await agent('serial-a', 'uuid-a', '2026-02-01T00:00:00Z', pc!.id);
      await agent('serial-b', 'uuid-b', '2026-02-02T00:00:00Z', pc!.id);
      await migrate(d.db);
      const rows = (
        await sql<{ hostname: string; live: boolean; ci: boolean }>`SELECT hostname,
            revoked_at IS NULL AS live, ci_id IS NOT NULL AS ci FROM agents ORDER BY hostname`.execute(d.db)
      ).rows;
      expect(rows).toEqual([
        // 'never' enrolled (today) after 'newest' last reported: the latest sign of life wins.
        { hostname: 'never', live: true, ci: false },
        { hostname: 'newest', live: false, ci: false },
        { hostname: 'old', live: false, ci: false },
        { hostname: 'revoked-before', live: false, ci: false },
        { hostname: 'serial-a', live: true, ci: false },
        { hostname: 'serial-b', live: true, ci: true },
      ]);
      await expect(agent('again', 'Abc-1', null)).rejects.toThrow(/duplicate key/);
    } finally {
      await d.close();
    }
  });
});
