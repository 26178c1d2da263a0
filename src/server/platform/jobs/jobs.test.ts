import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { freshDatabase, TEST_DATABASE_URL } from '../../../../test/support/db.js';
import { openDatabase, type Database } from '../../db/connect.js';
import { createCtx, type Ctx } from '../context.js';
import { AppError } from '../errors.js';
import {
  cronSchedule,
  enqueue,
  type EnqueueOptions,
  type JobDefinition,
  JobRunner,
  type JobSet,
  jobType,
  PermanentJobError,
  type RunnerOptions,
} from './index.js';
import * as repo from './jobs.repository.js';

const jobRow = async (ctx: Ctx, id: string) => {
  const r = await repo.findJob(ctx.db, id);
  if (!r) throw new Error(`no job ${id}`);
  return r;
};
const countJobs = async (ctx: Ctx, name: string) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from jobs where name = ${name}`.execute(ctx.db)).rows[0]
      ?.n,
  );

/**
 * Three runners' contexts on `database`: on PostgreSQL each with a pool of its own (added to `opened`), like
 * separate processes; PGlite has one connection, so they share it.
 */
async function runnerContexts(database: Database, opened: Database[]): Promise<Ctx[]> {
  const ctxs: Ctx[] = [];
  for (let i = 0; i < 3; i++) {
    if (TEST_DATABASE_URL) {
      const name = (await sql<{ d: string }>`select current_database() as d`.execute(database.db)).rows[0]?.d;
      const u = new URL(TEST_DATABASE_URL);
      u.pathname = `/${name}`;
      const d = await openDatabase({ databaseUrl: u.toString(), dataDir: '', poolSize: 3 });
      opened.push(d);
      ctxs.push(createCtx(d.db, () => undefined));
    } else ctxs.push(createCtx(database.db, () => undefined));
  }
  return ctxs;
}

const seen: string[] = [];
const echo = jobType('test.echo', {
  schema: z.strictObject({ text: z.string() }),
  handler: (_ctx, p) => {
    seen.push(p.text);
    return Promise.resolve();
  },
});

let flaky = 0;
const flakyJob = jobType('test.flaky', {
  schema: z.object({ failTimes: z.number().int() }),
  maxAttempts: 3,
  backoff: (attempt) => attempt * 1_000,
  handler: (_ctx, p, job) => {
    flaky++;
    return job.attempt <= p.failTimes ? Promise.reject(new Error(`boom ${job.attempt}`)) : Promise.resolve();
  },
});

const permanent = jobType('test.permanent', {
  schema: z.object({}),
  handler: () => Promise.reject(new PermanentJobError('target is gone')),
});

const slow = jobType('test.slow', {
  schema: z.object({}),
  timeoutMs: 50,
  maxAttempts: 1,
  handler: (_ctx, _p, job) =>
    new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve(), { once: true })),
});

const counts = new Map<string, number>();
const count = jobType('test.count', {
  schema: z.object({ i: z.number().int() }),
  handler: async (ctx, p) => {
    // a little real database work, so runners interleave
    await sql`select pg_sleep(0)`.execute(ctx.db);
    counts.set(String(p.i), (counts.get(String(p.i)) ?? 0) + 1);
  },
});

const fired: unknown[] = [];
const cron = jobType('test.cron', {
  schema: z.object({ n: z.number() }),
  handler: (_c, p) => {
    fired.push(p);
    return Promise.resolve();
  },
});

/** This file's job types and schedule, given to every runner it makes (a runner runs only what it is given). */
const testJobs: JobSet = {
  types: [echo, flakyJob, permanent, slow, count, cron],
  schedules: [cronSchedule('test.cron', '*/5 * * * *', { timezone: 'UTC', payload: { n: 1 } })],
};
const runnerOf = (ctx: Ctx, opts: Omit<RunnerOptions, 'jobs'> = {}) =>
  new JobRunner(ctx, { ...opts, jobs: testJobs });
/** Enqueues with the type's payload check, as services do. */
const add = (db: Ctx['db'], type: JobDefinition<unknown>, payload: unknown, opts: EnqueueOptions = {}) =>
  enqueue(db, type.name, payload, { ...opts, definition: type });

describe('job queue', () => {
  let database: Database;
  let ctx: Ctx;
  beforeAll(async () => {
    database = await freshDatabase();
    ctx = createCtx(database.db, () => undefined);
  });
  afterAll(async () => database.close());

  it('runs an enqueued job once with its validated payload', async () => {
    const id = await add(ctx.db, echo, { text: 'hello' });
    const runner = runnerOf(ctx);
    expect(await runner.drain()).toBe(1);
    expect(seen).toEqual(['hello']);
    expect(await runner.drain()).toBe(0);
    const r = await jobRow(ctx, id);
    expect(r).toMatchObject({ state: 'succeeded', attempts: 1, last_error: null, claim_token: null });
    expect(r.finished_at).toBeInstanceOf(Date);
  });

  it('enqueues inside the caller’s transaction: a rollback leaves no job', async () => {
    const before = await countJobs(ctx, 'test.echo');
    await expect(
      ctx.tx(async (tx) => {
        await add(tx, echo, { text: 'never' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await countJobs(ctx, 'test.echo')).toBe(before);
    const id = await ctx.tx((tx) => add(tx, echo, { text: 'kept' }));
    expect((await jobRow(ctx, id)).state).toBe('pending');
  });

  it('is idempotent with a dedupe key while the job is pending', async () => {
    const a = await add(ctx.db, echo, { text: 'd' }, { dedupeKey: 'k1' });
    const b = await add(ctx.db, echo, { text: 'd' }, { dedupeKey: 'k1' });
    const other = await add(ctx.db, echo, { text: 'd' }, { dedupeKey: 'k2' });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    await runnerOf(ctx).drain();
    const c = await add(ctx.db, echo, { text: 'd' }, { dedupeKey: 'k1' });
    expect(c).not.toBe(a);
    await runnerOf(ctx).drain();
  });

  it('refuses a payload that does not match a known job’s schema', async () => {
    const err = await add(ctx.db, echo, { text: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
  });

  it('retries with exponential backoff and jitter, then succeeds', async () => {
    flaky = 0;
    const t0 = new Date(Date.now() + 1_000);
    const runner = runnerOf(ctx, { random: () => 1 }); // jitter factor 0.8 + 0.4 = 1.2
    const id = await add(ctx.db, flakyJob, { failTimes: 2 });
    expect(await runner.runDue(t0)).toBe(1);
    let r = await jobRow(ctx, id);
    expect(r).toMatchObject({ state: 'pending', attempts: 1, last_error: 'boom 1' });
    expect(r.run_at.getTime()).toBe(t0.getTime() + 1_200);
    expect(await runner.runDue(new Date(t0.getTime() + 1_199))).toBe(0);
    expect(await runner.runDue(new Date(t0.getTime() + 1_200))).toBe(1);
    r = await jobRow(ctx, id);
    expect(r.run_at.getTime()).toBe(t0.getTime() + 1_200 + 2_400);
    expect(await runner.runDue(new Date(t0.getTime() + 10_000))).toBe(1);
    expect(await jobRow(ctx, id)).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(flaky).toBe(3);
  });

  it('fails a job for good after its last attempt, keeping the last error', async () => {
    const runner = runnerOf(ctx, { random: () => 0 });
    const id = await add(ctx.db, flakyJob, { failTimes: 9 });
    await runner.runDue(new Date(Date.now() + 60_000));
    await runner.runDue(new Date(Date.now() + 120_000));
    await runner.runDue(new Date(Date.now() + 180_000));
    expect(await jobRow(ctx, id)).toMatchObject({ state: 'failed', attempts: 3, last_error: 'boom 3' });
  });

  it('fails at once on a permanent error or a bad stored payload, and keeps running other jobs', async () => {
    const perm = await add(ctx.db, permanent, {});
    // a payload written by another version of the code: stored without validation
    const bad = (
      await sql<{
        id: string;
      }>`insert into jobs (name, payload) values ('test.echo', '{"txt": 5}') returning id`.execute(ctx.db)
    ).rows[0]?.id as string;
    const good = await add(ctx.db, echo, { text: 'still runs' });
    await runnerOf(ctx).drain();
    expect(await jobRow(ctx, perm)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: 'PermanentJobError: target is gone',
    });
    const b = await jobRow(ctx, bad);
    expect(b).toMatchObject({ state: 'failed', attempts: 1 });
    expect(b.last_error).toMatch(/invalid payload[\s\S]*text/);
    expect((await jobRow(ctx, good)).state).toBe('succeeded');
  });

  it('aborts a handler at its timeout and counts the attempt as failed', async () => {
    const id = await add(ctx.db, slow, {});
    await runnerOf(ctx).drain();
    const r = await jobRow(ctx, id);
    expect(r.state).toBe('failed');
    expect(r.last_error).toMatch(/timed out after 50 ms/);
  });

  it('re-claims a job whose runner died (lease expired); the dead runner cannot complete it', async () => {
    const id = await add(ctx.db, echo, { text: 'orphan' });
    const now = new Date(Date.now() + 1_000);
    const [dead] = await repo.claim(ctx.db, {
      now,
      leaseUntil: new Date(now.getTime() + 5_000),
      worker: 'dead-runner',
      names: ['test.echo'],
      limit: 10,
    });
    expect(dead?.id).toBe(id);
    const runner = runnerOf(ctx);
    expect(await runner.runDue(new Date(now.getTime() + 4_000))).toBe(0); // lease still held
    expect(await runner.runDue(new Date(now.getTime() + 6_000))).toBe(1);
    expect(await jobRow(ctx, id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(await repo.complete(ctx.db, id, dead?.claim_token ?? '', new Date())).toBe(false);
  });

  it('fires a cron schedule exactly once per firing across two runners', async () => {
    const t0 = new Date('2030-01-01T00:01:00Z');
    const a = runnerOf(ctx, { clock: () => t0 });
    const b = runnerOf(ctx, { clock: () => t0 });
    await Promise.all([a.syncSchedules(), b.syncSchedules()]);
    const t1 = new Date('2030-01-01T00:07:00Z');
    const n = await Promise.all([a.fireSchedules(t1), b.fireSchedules(t1), a.fireSchedules(t1)]);
    // Every schedule due (this test's, and the modules' own such as sla.escalate) fired once, whoever fired it.
    const perName = await sql<{ name: string; n: number }>`select name, count(*)::int as n from jobs
      where name in (select job_name from job_schedules)
      group by name`.execute(ctx.db);
    expect(perName.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(n.reduce((x, y) => x + y, 0)).toBe(perName.rows.length);
    const jobs = await sql<{ run_at: Date }>`select run_at from jobs where name = 'test.cron'`.execute(
      ctx.db,
    );
    expect(jobs.rows.map((r) => r.run_at.toISOString())).toEqual(['2030-01-01T00:05:00.000Z']);
    const testCron = async () => (await repo.listSchedules(ctx.db)).find((x) => x.job_name === 'test.cron');
    const s = await testCron();
    expect(s?.next_run_at?.toISOString()).toBe('2030-01-01T00:10:00.000Z');
    await a.runDue(t1);
    expect(fired).toEqual([{ n: 1 }]);
    // a restart with the same pattern keeps the stored next firing
    await a.syncSchedules();
    expect((await testCron())?.next_run_at?.toISOString()).toBe('2030-01-01T00:10:00.000Z');
  });

  it('polls by itself once started, and stops cleanly', async () => {
    const runner = runnerOf(ctx, { pollMs: 20 });
    await runner.start();
    const id = await add(ctx.db, echo, { text: 'polled' });
    for (let i = 0; i < 200 && (await jobRow(ctx, id)).state !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await runner.stop();
    expect((await jobRow(ctx, id)).state).toBe('succeeded');
  });

  it('runs a runner’s own job types and schedules, which other runners neither know nor claim', async () => {
    const ran: string[] = [];
    const t0 = new Date('2031-01-01T00:01:00Z');
    const runner = new JobRunner(ctx, {
      clock: () => t0,
      jobs: {
        types: [
          jobType('test.own', {
            schema: z.object({}),
            maxAttempts: 1,
            handler: () => {
              ran.push('this server');
              return Promise.resolve();
            },
          }),
        ],
        schedules: [cronSchedule('test.own', '*/5 * * * *', { timezone: 'UTC' })],
      },
    });
    const other = runnerOf(ctx, { clock: () => t0 });
    await runner.syncSchedules();
    const t1 = new Date('2031-01-01T00:06:00Z');
    await runner.fireSchedules(t1);
    const rows = await sql<{ id: string; max_attempts: number }>`select id, max_attempts from jobs
      where name = 'test.own'`.execute(ctx.db);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.max_attempts).toBe(1);
    await other.runDue(t1);
    expect(ran).toEqual([]);
    expect((await jobRow(ctx, rows.rows[0]!.id)).state).toBe('pending');
    await runner.runDue(t1);
    expect(ran).toEqual(['this server']);
    expect((await jobRow(ctx, rows.rows[0]!.id)).state).toBe('succeeded');
    const clash = {
      types: [jobType('test.echo', { schema: z.object({}), handler: () => Promise.resolve() })],
    };
    expect(() => new JobRunner(ctx, { jobs: [testJobs, { ...clash, schedules: [] }] })).toThrow(
      /already defined/,
    );
  });
});

describe('several runners on one database', () => {
  const extra: Database[] = [];
  let database: Database;
  let ctx: Ctx;
  const ctxs: Ctx[] = [];
  beforeAll(async () => {
    database = await freshDatabase();
    ctx = createCtx(database.db, () => undefined);
    ctxs.push(...(await runnerContexts(database, extra)));
  });
  afterAll(async () => {
    for (const d of extra) await d.close();
    await database.close();
  });

  it('runs each of many jobs exactly once', async () => {
    const n = TEST_DATABASE_URL ? 500 : 150;
    await ctx.tx(async (tx) => {
      for (let i = 0; i < n; i++) await add(tx, count, { i });
    });
    const runners = ctxs.map((c, i) => runnerOf(c, { concurrency: 4, workerId: `r${i}` }));
    const ran = await Promise.all(runners.map((r) => r.drain()));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(n);
    expect(counts.size).toBe(n);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    const states = await sql<{ state: string; attempts: number; n: string }>`
      select state, attempts, count(*) as n from jobs where name = 'test.count' group by state, attempts`.execute(
      database.db,
    );
    expect(states.rows).toEqual([{ state: 'succeeded', attempts: 1, n: String(n) }]);
    if (TEST_DATABASE_URL) expect(ran.filter((x) => x > 0).length).toBeGreaterThan(1);
  });
});

describe('schedules across processes', () => {
  const extra: Database[] = [];
  let database: Database;
  afterAll(async () => {
    for (const d of extra) await d.close();
    await database.close();
  });

  it('enqueues each firing once when several runners fire at the same moment, repeatedly', async () => {
    database = await freshDatabase();
    const ctxs = await runnerContexts(database, extra);
    const t0 = new Date('2031-06-01T00:00:30Z');
    const runners = ctxs.map((c) => runnerOf(c, { clock: () => t0 }));
    await Promise.all(runners.map((r) => r.syncSchedules()));
    // 12 firings of a five-minute schedule, each raced by three runners
    for (let k = 1; k <= 12; k++) {
      const at = new Date(t0.getTime() + k * 300_000);
      await Promise.all(runners.map((r) => r.fireSchedules(at)));
    }
    const rows = await sql<{
      run_at: Date;
    }>`select run_at from jobs where name = 'test.cron' order by run_at`.execute(database.db);
    expect(rows.rows).toHaveLength(12);
    expect(new Set(rows.rows.map((r) => r.run_at.toISOString())).size).toBe(12);
  });
});

describe('admin jobs API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => app.close());

  it('lists failed jobs, retries and discards them, audited; admins only', async () => {
    const ctx = app.server.ctx;
    expect(app.server.jobs).toBeUndefined();
    const id = await add(ctx.db, permanent, {});
    const runner = runnerOf(ctx);
    await runner.drain();
    const admin = app.as(app.admin);
    const list = await admin.get('/api/v1/admin/jobs?state=failed&name=test.permanent');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toMatchObject([
      { id, state: 'failed', lastError: 'PermanentJobError: target is gone' },
    ]);
    expect((await admin.get('/api/v1/admin/jobs?state=bogus')).statusCode).toBe(400);

    const agent = await app.user('agent');
    expect((await app.as(agent).get('/api/v1/admin/jobs')).statusCode).toBe(404);
    expect((await app.as(agent).post(`/api/v1/admin/jobs/${id}/retry`)).statusCode).toBe(404);
    expect((await app.anonymous.get('/api/v1/admin/jobs')).statusCode).toBe(401);

    const retried = await admin.post(`/api/v1/admin/jobs/${id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await admin.post(`/api/v1/admin/jobs/${id}/retry`)).statusCode).toBe(409);
    const discarded = await admin.post(`/api/v1/admin/jobs/${id}/discard`);
    expect(discarded.json()).toMatchObject({ state: 'discarded' });
    expect((await admin.post(`/api/v1/admin/jobs/${id}/discard`)).statusCode).toBe(409);
    expect((await admin.get(`/api/v1/admin/jobs/${crypto.randomUUID()}`)).statusCode).toBe(404);

    const audit = await admin.get(`/api/v1/audit?entityType=job&entityId=${id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'job.discarded',
      'job.retried',
    ]);
  });

  it('pages through jobs with a cursor', async () => {
    const ctx = app.server.ctx;
    for (let i = 0; i < 5; i++) await add(ctx.db, echo, { text: `p${i}` });
    const admin = app.as(app.admin);
    const first = (await admin.get('/api/v1/admin/jobs?name=test.echo&limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (
      await admin.get(`/api/v1/admin/jobs?name=test.echo&limit=3&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(first.items.map((j: { payload: { text: string } }) => j.payload.text)).toEqual(['p4', 'p3', 'p2']);
  });
});
