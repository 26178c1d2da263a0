/**
 * The simulated fleet of `npm run bench:fleet`, loaded with set-based SQL: laptops in use, each with an
 * enrolled agent (a real token, stored hashed as enrolment stores it), optionally a repository row on a target,
 * and a history of backup runs (one a day for `history` days, the odd one failed).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/server/db/schema.js';
import { sha256 } from '../../src/server/platform/secrets.js';

/** A simulated device: its computer's id and its agent's token. */
export interface SimDevice {
  ciId: string;
  token: string;
  name: string;
}

/** Inserts `n` laptops named `<prefix> <i>` with their agents; returns them in order. */
export async function seedDevices(db: Kysely<DB>, prefix: string, n: number): Promise<SimDevice[]> {
  const rows = await sql<{ id: string; name: string }>`INSERT INTO cis (class_key, name, status)
    SELECT 'laptop', ${prefix} || ' ' || lpad(i::text, 5, '0'), 'deployed' FROM generate_series(1, ${n}::int) i
    RETURNING id, name`.execute(db);
  const devices = rows.rows
    .map((r) => ({ ciId: r.id, name: r.name, token: `stw_agent_${randomBytes(32).toString('base64url')}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
  await sql`INSERT INTO agents (token_hash, hostname, system_uuid, ci_id, last_report_at)
    SELECT h, host, uuid, ci, now()
    FROM unnest(${devices.map((d) => sha256(d.token))}::text[], ${devices.map((d) => d.name)}::text[],
      ${devices.map(() => randomUUID())}::text[], ${devices.map((d) => d.ciId)}::uuid[]) AS a(h, host, uuid, ci)`.execute(
    db,
  );
  return devices;
}

/** Repository rows for `devices` on `targetId` (status only: these repositories are never opened). */
export async function seedRepositories(
  db: Kysely<DB>,
  targetId: string,
  devices: SimDevice[],
): Promise<void> {
  await sql`INSERT INTO backup_repositories (ci_id, target_id, folder, password)
    SELECT ci, ${targetId}::uuid, 'steward-' || ci, 'bench: never opened'
    FROM unnest(${devices.map((d) => d.ciId)}::uuid[]) AS r(ci)`.execute(db);
}

/**
 * A run a day for `days` days per device, one in 17 of them failed, and each device's last-run summary as the
 * server keeps it when runs are reported (runs.repository.ts).
 */
export async function seedHistory(db: Kysely<DB>, devices: SimDevice[], days: number): Promise<void> {
  await sql`INSERT INTO backup_runs (ci_id, started_at, finished_at, status, snapshot_id, files_new,
      files_changed, files_unmodified, bytes_processed, bytes_added)
    SELECT ci, now() - make_interval(days => k, mins => 10), now() - make_interval(days => k),
      CASE WHEN (k + ord) % 17 = 0 THEN 'failed' ELSE 'succeeded' END,
      CASE WHEN (k + ord) % 17 = 0 THEN NULL ELSE encode(sha256((ci::text || k)::bytea), 'hex') END,
      k % 50, k % 200, 20000, 4000000000, 50000000
    FROM unnest(${devices.map((d) => d.ciId)}::uuid[]) WITH ORDINALITY AS d(ci, ord),
      generate_series(1, ${days}::int) k`.execute(db);
  await sql`INSERT INTO backup_last_runs (ci_id, last_at, last_status, good_at, good_snapshot_id)
    SELECT d.ci, l.started_at, l.status, g.started_at, g.snapshot_id
    FROM unnest(${devices.map((d) => d.ciId)}::uuid[]) AS d(ci)
    JOIN LATERAL (SELECT started_at, status FROM backup_runs r WHERE r.ci_id = d.ci
      ORDER BY started_at DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT started_at, snapshot_id FROM backup_runs r WHERE r.ci_id = d.ci
      AND r.status <> 'failed' ORDER BY started_at DESC LIMIT 1) g ON true`.execute(db);
}
