/** Pieces the benchmarks share. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config.js';
import type { Database } from '../src/server/db/connect.js';
import { buildServer, type Server } from '../src/server/main.js';
import { createToken } from '../src/server/modules/tokens/index.js';
import { createUser } from '../src/server/modules/users/index.js';

/**
 * The URL of a scratch PostgreSQL database `name` on TEST_DATABASE_URL's server (default 127.0.0.1:5432),
 * created when missing; benchmarks load it once and reuse it.
 */
export async function scratchDatabase(name: string): Promise<string> {
  const admin = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Replaces (or appends) the block between `<!-- marker -->` and `<!-- end marker -->` in docs/BENCHMARKS.md. */
export function writeBenchmarkSection(marker: string, section: string): void {
  const file = join(import.meta.dirname, '..', 'docs', 'BENCHMARKS.md');
  const doc = readFileSync(file, 'utf8');
  const start = `<!-- ${marker} -->`;
  const end = `<!-- end ${marker} -->`;
  const block = `${start}\n${section}${end}\n`;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${esc(start)}[\\s\\S]*?${esc(end)}\\n`);
  writeFileSync(file, re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}`);
}

/** A fresh admin of `server` and an API token of theirs, for benchmarks that go through the API. */
export async function benchAdminToken(server: Server): Promise<string> {
  const system = { userId: null, role: 'admin', label: 'bench', via: 'system' } as const;
  const admin = await createUser(server.ctx, system, {
    email: `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name: 'Bench',
    role: 'admin',
    password: 'bench password 123',
    teamIds: [],
  });
  const t = await createToken(
    server.ctx,
    { ...system, userId: admin.id, label: admin.email },
    { name: 'bench' },
  );
  return t.token;
}

/**
 * A Steward server on `database` as the benchmarks run it: no request limits (a benchmark measures the server,
 * not its limits), no background jobs, no logs; `dataDir` holds its master key.
 */
export function benchServer(database: Database, dataDir: string): Promise<Server> {
  return buildServer(
    loadConfig({
      STEWARD_API_RATE_PER_USER: '0',
      STEWARD_API_RATE_PER_ADDRESS: '0',
      STEWARD_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      STEWARD_JOBS: 'off',
    }),
    { database, logger: false },
  );
}
