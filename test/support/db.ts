import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPglite, type Database, openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { testRun } from './test-run.js';

/** Which database the suite runs on: PGlite by default, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const DB_KIND = TEST_DATABASE_URL ? 'postgres' : 'pglite';

let pgliteTemplate: Promise<PGlite> | undefined;
let pgTemplate: Promise<string> | undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A migrated template database on PostgreSQL, made once per test worker. */
async function postgresTemplate(): Promise<string> {
  const name = `steward_tpl_${testRun()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const d = await openDatabase({ databaseUrl: withDatabase(TEST_DATABASE_URL ?? '', name), dataDir: '' });
  try {
    await migrate(d.db);
  } finally {
    await d.close();
  }
  return name;
}

/**
 * A fresh, migrated database of its own for one test (file): a clone of a migrated PGlite template, or a new
 * PostgreSQL database copied from a migrated template. `close()` drops it.
 */
export async function freshDatabase(): Promise<Database> {
  if (TEST_DATABASE_URL) {
    const template = await (pgTemplate ??= postgresTemplate());
    const name = `steward_test_${testRun()}_${process.pid}_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const d = await openDatabase({
      databaseUrl: withDatabase(TEST_DATABASE_URL, name),
      dataDir: '',
      poolSize: 5,
    });
    return {
      ...d,
      close: async () => {
        await d.close();
        await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
      },
    };
  }
  const template = await (pgliteTemplate ??= (async () => {
    const t = await createPglite();
    const d = await openDatabase({ dataDir: '', pglite: t });
    await migrate(d.db);
    return t;
  })());
  const clone = await template.clone();
  return openDatabase({ dataDir: '', pglite: clone as PGlite });
}
