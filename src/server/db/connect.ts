import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './datadir-lock.js';
import { pgDump, pgliteDump } from './dump.js';
import type { DB } from './schema.js';

/** An open database: the Kysely handle and what it runs on. */
export interface Database {
  kind: 'pglite' | 'postgres';
  db: Kysely<DB>;
  /** Where it is, without credentials, for logs and health. */
  describe: string;
  close(): Promise<void>;
  /**
   * LISTENs on `channel`, calling `notify` with each notification's payload. PostgreSQL: over a connection of
   * its own, calling `state(false)` whenever the connection is lost (notifications may have been missed; it
   * reconnects every second and calls `state(true)` once listening again). PGlite: its own LISTEN, which
   * delivers the notifications of committed transactions on its one connection (measured: sent on commit,
   * dropped on rollback). Returns how to stop.
   */
  listen?(channel: string, on: Listener): () => Promise<void>;
  /**
   * Writes a consistent dump of the whole database to `file` (db/dump.ts): pg_dump's custom format on
   * PostgreSQL, PGlite's own data-folder archive on the embedded database.
   */
  dumpTo(file: string): Promise<void>;
}

/** What {@link Database.listen} calls. */
export interface Listener {
  notify(payload: string): void;
  state(live: boolean): void;
}

/** Options for {@link openDatabase}. */
export interface OpenOptions {
  /** PostgreSQL URL; when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** An already created PGlite instance (tests clone a migrated template). */
  pglite?: PGlite;
}

/**
 * A PGlite instance with the extensions the migrations use (PostgreSQL servers have them as contrib modules):
 * in `dir`, or in memory without one.
 */
export function createPglite(dir?: string): Promise<PGlite> {
  return PGlite.create(dir, { extensions: { pg_trgm } });
}

/** Redacts the password of a postgres URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

/**
 * Opens Steward's database. Both PGlite and PostgreSQL go through node-postgres (`pg.Pool`) and Kysely's
 * PostgresDialect, so there is one code path and one set of type parsers (int8 and numeric arrive as strings
 * on both). PGlite has one connection: its pool has size 1, which also serialises transactions.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // While the server is unreachable a request fails in seconds (a 503) rather than waiting for ever.
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    pool.on('error', () => {
      // an idle client lost its connection; the pool replaces it on next use
    });
    // A connection lost while a client is checked out makes it emit 'error' with no pool listener attached:
    // without one of ours that is an uncaught exception, and the process dies when PostgreSQL restarts. The
    // query in flight fails on its own (a 503), and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    const url = opts.databaseUrl;
    return {
      kind: 'postgres',
      db,
      describe: redactUrl(url),
      close: () => db.destroy(),
      listen: (channel, on) => listenOn(url, channel, on),
      dumpTo: (file) => pgDump(url, file),
    };
  }
  let release: (() => void) | undefined;
  let pglite = opts.pglite;
  if (!pglite) {
    release = lockDataDir(opts.dataDir);
    try {
      const dir = join(opts.dataDir, 'pglite');
      mkdirSync(dir, { recursive: true });
      pglite = await createPglite(dir);
    } catch (err) {
      release();
      throw err;
    }
  }
  const instance = pglite;
  const pool = new pg.Pool({ ...createPgConfig(instance), max: 1 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    describe: opts.pglite ? 'pglite (in memory)' : `pglite ${opts.dataDir}`,
    close: async () => {
      await db.destroy();
      await instance.close();
      release?.();
    },
    // LISTEN/UNLISTEN go to the same backend session as our queries: hold the pool's one connection meanwhile,
    // or they could land inside someone's transaction (and be undone by its rollback).
    listen: (channel, on) => listenPglite((fn) => db.connection().execute(fn), instance, channel, on),
    // PGlite's one connection is held meanwhile: no query of ours may interleave with the dump.
    dumpTo: (file) => db.connection().execute(() => pgliteDump(instance, file)),
  };
}

function listenPglite(
  exclusively: <T>(fn: () => Promise<T>) => Promise<T>,
  instance: PGlite,
  channel: string,
  on: Listener,
) {
  let stopped = false;
  const unsubscribe = exclusively(() => instance.listen(channel, (payload) => on.notify(payload)))
    .then((stop) => {
      if (!stopped) on.state(true);
      return stop;
    })
    .catch(() => undefined);
  return async () => {
    stopped = true;
    on.state(false);
    const stop = await unsubscribe;
    if (stop && !instance.closed) await exclusively(stop).catch(() => undefined);
  };
}

function listenOn(url: string, channel: string, on: Listener) {
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const retry = () => {
    on.state(false);
    client = undefined;
    if (!stopped) timer = setTimeout(() => void connect(), 1000).unref();
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel) on.notify(n.payload ?? '');
    });
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client === c) retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped) await c.end();
      else on.state(true);
    } catch {
      if (client === c) retry();
      await c.end().catch(() => undefined);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = undefined;
    on.state(false);
    await c?.end().catch(() => undefined);
  };
}
