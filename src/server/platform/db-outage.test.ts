import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setup, type TestApp } from '../../../test/support/api.js';
import { requireComponent } from '../../../test/support/requires.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { openDatabase } from '../db/connect.js';
import { JobRunner, jobType } from './jobs/index.js';

/**
 * An outage needs a real PostgreSQL server: the one of the PostgreSQL run, else the local one (the PGlite
 * pass sets TEST_DATABASE_URL to the empty string, hence `||`).
 */
const BASE = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: BASE, connectionTimeoutMillis: 5_000 });
  try {
    await c.connect();
    await c.query(sql);
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const available = requireComponent('database outage', await admin('SELECT 1'), `no PostgreSQL at ${BASE}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(available)('while PostgreSQL is unreachable', () => {
  const name = `steward_outage_${randomBytes(6).toString('hex')}`;
  const base = new URL(BASE);
  const proxy = new TcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
  let app: TestApp;

  beforeAll(async () => {
    await proxy.start();
    expect(await admin(`CREATE DATABASE ${name}`)).toBe(true);
    const url = new URL(BASE);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 4 });
    app = await setup({ STEWARD_JOBS: 'off' }, database);
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await app.close();
    await proxy.stop();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('answers API calls 503 with Retry-After, not 500, and serves again once it is back', async () => {
    const as = app.as(app.admin);
    expect((await as.get('/api/v1/users')).statusCode).toBe(200);
    await proxy.stop();
    const calls = [
      () => as.get('/api/v1/users'),
      () => as.get('/api/v1/tickets?q=printer'),
      () => as.post('/api/v1/teams', { name: 'During the outage' }),
      () => app.anonymous.post('/api/v1/auth/login', { email: app.admin.email, password: 'whatever it is' }),
    ];
    for (const call of calls) {
      const t0 = Date.now();
      const r = await call();
      expect(r.statusCode, r.body).toBe(503);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.json()).toMatchObject({ code: 'database_unavailable', status: 503 });
      expect(Date.now() - t0).toBeLessThan(6_000);
    }
    await proxy.start();
    expect((await as.get('/api/v1/users')).statusCode).toBe(200);
    expect((await as.post('/api/v1/teams', { name: 'After the outage' })).statusCode).toBe(201);
  });

  it('makes the job runner back off, logging once, and poll at its pace again when it is back', async () => {
    const logged: { level: 'warn' | 'error'; msg: string }[] = [];
    const log = {
      warn: (_: object, msg: string) => logged.push({ level: 'warn', msg }),
      error: (_: object, msg: string) => logged.push({ level: 'error', msg }),
    };
    // a runner polls only for the job types it knows: one that never gets work is enough
    const idle = jobType('test.outage_idle', { schema: z.object({}), handler: async () => {} });
    const runner = new JobRunner(app.server.ctx, {
      pollMs: 50,
      maxBackoffMs: 800,
      log,
      jobs: { types: [idle], schedules: [] },
    });
    await runner.start();
    try {
      await sleep(300);
      expect(runner.pollDelayMs).toBe(50);
      await proxy.stop();
      const delays = new Set<number>();
      for (const until = Date.now() + 3_500; Date.now() < until; await sleep(10))
        delays.add(runner.pollDelayMs);
      expect([...delays].sort((a, b) => a - b)).toEqual([50, 100, 200, 400, 800]);
      // Without back-off this would have been about seventy failed polls, each logged as an error.
      expect(logged).toEqual([
        { level: 'error', msg: 'job runner: polling failed; backing off until it works' },
      ]);
      await proxy.start();
      for (const until = Date.now() + 5_000; runner.pollDelayMs !== 50 && Date.now() < until;)
        await sleep(20);
      expect(runner.pollDelayMs).toBe(50);
      expect(logged.at(-1)).toEqual({ level: 'warn', msg: 'job runner: polling works again' });
      expect(logged).toHaveLength(2);
    } finally {
      await runner.stop(1_000);
    }
  });
});
