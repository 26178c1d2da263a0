import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { enqueue } from './enqueue.js';
import { nextRunAfter } from './cron.js';
import * as repo from './jobs.repository.js';
import type { JobRow } from './jobs.repository.js';
import { type JobDefinition, type JobSet, PermanentJobError, type ScheduleDefinition } from './registry.js';

/** The part of a pino logger the runner uses. */
export interface RunnerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of {@link JobRunner}. */
export interface RunnerOptions {
  /** Jobs run at once by this runner (default 4). */
  concurrency?: number;
  /** How often an idle runner looks for due jobs, in ms (default 1,000). */
  pollMs?: number;
  /** While polling fails (the database is down), the wait doubles up to this, in ms (default 30,000). */
  maxBackoffMs?: number;
  /** A claim's lease in ms, renewed every third of it while the handler runs (default 60,000). */
  leaseMs?: number;
  /** Succeeded and discarded jobs are deleted this long after finishing (default 7 days). */
  retentionMs?: number;
  /** Identifies this runner in `locked_by` (default host:pid:random). */
  workerId?: string;
  /** The runner's clock (tests pass a fixed one). */
  clock?: () => Date;
  /** Jitter source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
  log?: RunnerLog;
  /**
   * The job types and schedules this runner runs (no others): modules return them from their factories
   * (jobType, cronSchedule), so their handlers close over that server's dependencies; main.ts hands the list of
   * them all (`serverJobs`). A runner without any polls nothing.
   */
  jobs?: JobSet | readonly JobSet[];
}

const silent: RunnerLog = { warn: () => undefined, error: () => undefined };

function message(err: unknown): string {
  const m =
    err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return m.slice(0, 4000) || 'failed without a message';
}

/** The runner's job types and schedules, refusing a name or key that two sets share. */
function collect(jobs: RunnerOptions['jobs']) {
  const sets: readonly JobSet[] = jobs === undefined ? [] : 'types' in jobs ? [jobs] : jobs;
  const types = new Map<string, JobDefinition<unknown>>();
  const schedules = new Map<string, ScheduleDefinition>();
  for (const set of sets) {
    for (const t of set.types) {
      if (types.has(t.name)) throw new Error(`job "${t.name}" is already defined`);
      types.set(t.name, t);
    }
    for (const s of set.schedules) {
      if (schedules.has(s.key)) throw new Error(`schedule "${s.key}" is already defined`);
      schedules.set(s.key, s);
    }
  }
  return { types, schedules };
}

/**
 * Runs due jobs and fires cron schedules. Claiming is one short transaction and completion another, so the
 * handler never runs inside a transaction (on PGlite a held transaction would block every other query). Any
 * number of runners, in any number of processes, may share one database.
 */
export class JobRunner {
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  /** The wait before the next poll: `pollMs`, or longer after failed polls. */
  private delayMs: number;
  /** Polls failed in a row. */
  private failures = 0;
  private readonly leaseMs: number;
  private readonly retentionMs: number;
  private readonly worker: string;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly log: RunnerLog;
  /** Claim tokens of jobs in flight, with their abort controllers. */
  private readonly inFlight = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private lastHousekeeping = 0;
  private readonly ownTypes: ReadonlyMap<string, JobDefinition<unknown>>;
  private readonly ownSchedules: readonly ScheduleDefinition[];

  constructor(
    private readonly ctx: Ctx,
    opts: RunnerOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 4;
    this.pollMs = opts.pollMs ?? 1_000;
    this.maxBackoffMs = Math.max(this.pollMs, opts.maxBackoffMs ?? 30_000);
    this.delayMs = this.pollMs;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.retentionMs = opts.retentionMs ?? 7 * 86_400_000;
    this.worker = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.log = opts.log ?? silent;
    const own = collect(opts.jobs);
    this.ownTypes = own.types;
    this.ownSchedules = [...own.schedules.values()];
  }

  /** A job type this runner was given. */
  private definition(name: string): JobDefinition<unknown> | undefined {
    return this.ownTypes.get(name);
  }

  private schedules(): readonly ScheduleDefinition[] {
    return this.ownSchedules;
  }

  /** The current wait between polls, in ms: `pollMs` while polling works, longer while it fails. */
  get pollDelayMs(): number {
    return this.delayMs;
  }

  /** Stores this process's schedules, then polls until {@link stop}. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.syncSchedules();
    this.running = true;
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    this.wake();
  }

  /** Stops polling and waits up to `graceMs` for running handlers; then aborts their signals and returns. */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    const all = Promise.allSettled([...this.inFlight.values()].map((f) => f.promise));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, grace]);
    for (const f of this.inFlight.values()) f.abort.abort(new Error('the job runner is stopping'));
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  /** Looks for work now instead of at the next poll (e.g. right after enqueueing). */
  wake(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking ??= this.tick().finally(() => {
      this.ticking = undefined;
      if (this.running) {
        this.timer = setTimeout(() => this.wake(), this.delayMs);
        this.timer.unref();
      }
    });
  }

  /** Stores every registered schedule (new ones, or changed pattern/time zone, get their next firing). */
  async syncSchedules(): Promise<void> {
    const now = this.clock();
    for (const s of this.schedules()) {
      // Fail at start, not at every firing, when a schedule names an unknown job or a payload it refuses.
      const def = this.definition(s.jobName);
      if (!def) throw new Error(`schedule "${s.key}": no job type "${s.jobName}" is defined`);
      const parsed = def.schema.safeParse(s.payload);
      if (!parsed.success)
        throw new Error(`schedule "${s.key}": invalid payload: ${z.prettifyError(parsed.error)}`);
      await repo.upsertSchedule(this.ctx.db, {
        key: s.key,
        jobName: s.jobName,
        cron: s.cron,
        timezone: s.timezone,
        payload: JSON.stringify(s.payload),
        nextRunAt: nextRunAfter(s.cron, s.timezone, now),
        now,
      });
    }
  }

  /**
   * Deterministic pass for tests and tools: reaps expired leases, fires due schedules, then claims and runs
   * due jobs (including ones enqueued meanwhile) until none is due at `now`. Returns how many attempts ran.
   */
  async runDue(now: Date = this.clock()): Promise<number> {
    await repo.reapExpired(this.ctx.db, now);
    await this.fireSchedules(now);
    let ran = 0;
    for (;;) {
      const claimed = await this.claim(now, this.concurrency);
      if (claimed.length === 0) return ran;
      ran += claimed.length;
      await Promise.all(claimed.map((row) => this.execute(row, now)));
    }
  }

  /** {@link runDue} at the runner's clock. */
  drain(): Promise<number> {
    return this.runDue(this.clock());
  }

  /** Enqueues every due schedule firing once, advancing each schedule in the same transaction. */
  async fireSchedules(now: Date = this.clock()): Promise<number> {
    const keys = this.schedules().map((s) => s.key);
    if (keys.length === 0) return 0;
    return this.ctx.tx(async (db) => {
      const due = await repo.lockDueSchedules(db, keys, now);
      for (const s of due) {
        const fired = s.next_run_at ?? now;
        // The dedupe key makes a firing idempotent even if two rows ever named the same schedule.
        await enqueue(db, s.job_name, s.payload, {
          runAt: fired,
          dedupeKey: `schedule:${s.key}:${fired.toISOString()}`,
          definition: this.definition(s.job_name),
        });
        await repo.advanceSchedule(db, s.key, fired, nextRunAfter(s.cron, s.timezone, now));
      }
      return due.length;
    });
  }

  private async tick(): Promise<void> {
    try {
      const now = this.clock();
      if (now.getTime() - this.lastHousekeeping > 60_000) {
        this.lastHousekeeping = now.getTime();
        await repo.reapExpired(this.ctx.db, now);
        await repo.purgeFinished(this.ctx.db, new Date(now.getTime() - this.retentionMs));
      }
      await this.fireSchedules(now);
      const free = this.concurrency - this.inFlight.size;
      const claimed = await this.claim(now, free);
      this.polled(undefined);
      for (const row of claimed) void this.execute(row).finally(() => this.wake());
    } catch (err) {
      this.polled(err);
    }
  }

  /**
   * Sets the next wait from a poll's outcome. Failures double it up to `maxBackoffMs` and are logged once,
   * when they start (an outage would otherwise log an error every poll); the first success after them is
   * logged and restores `pollMs`.
   */
  private polled(err: unknown): void {
    if (err === undefined) {
      if (this.failures > 0) this.log.warn({ failures: this.failures }, 'job runner: polling works again');
      this.failures = 0;
      this.delayMs = this.pollMs;
      return;
    }
    if (this.failures === 0)
      this.log.error({ err }, 'job runner: polling failed; backing off until it works');
    this.failures++;
    this.delayMs = Math.min(this.maxBackoffMs, this.pollMs * 2 ** Math.min(this.failures, 20));
  }

  private claim(now: Date, limit: number): Promise<JobRow[]> {
    return repo.claim(this.ctx.db, {
      now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      worker: this.worker,
      names: [...this.ownTypes.keys()],
      limit,
    });
  }

  private async renewLeases(): Promise<void> {
    try {
      await repo.extendLeases(
        this.ctx.db,
        [...this.inFlight.keys()],
        new Date(this.clock().getTime() + this.leaseMs),
      );
    } catch (err) {
      this.log.warn({ err }, 'job runner: renewing leases failed');
    }
  }

  /** Runs one claimed attempt and records its outcome (as of `at`, default: when it ends); never throws. */
  private execute(row: JobRow, at?: Date): Promise<void> {
    const token = row.claim_token ?? '';
    const abort = new AbortController();
    const promise = this.attempt(row, token, abort, at).finally(() => this.inFlight.delete(token));
    this.inFlight.set(token, { promise, abort });
    return promise;
  }

  private async attempt(
    row: JobRow,
    token: string,
    abort: AbortController,
    at: Date | undefined,
  ): Promise<void> {
    const def = this.definition(row.name);
    let error: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!def) throw new PermanentJobError(`no job type "${row.name}" is defined`);
      const parsed = def.schema.safeParse(row.payload);
      if (!parsed.success) throw new PermanentJobError(`invalid payload: ${z.prettifyError(parsed.error)}`);
      timer = setTimeout(() => abort.abort(new Error(`timed out after ${def.timeoutMs} ms`)), def.timeoutMs);
      // The claim stays leased until the handler settles, even after a timeout: a job never runs twice at once.
      await def.handler(this.ctx, parsed.data, {
        id: row.id,
        name: row.name,
        attempt: row.attempts,
        maxAttempts: row.max_attempts,
        signal: abort.signal,
        runAt: row.run_at,
        createdAt: row.created_at,
      });
      if (abort.signal.aborted) throw abort.signal.reason;
    } catch (err) {
      error = err;
    } finally {
      if (timer) clearTimeout(timer);
    }
    const now = at ?? this.clock();
    try {
      if (error === undefined) {
        await repo.complete(this.ctx.db, row.id, token, now);
        return;
      }
      const permanent = error instanceof PermanentJobError;
      const retry = !permanent && row.attempts < row.max_attempts;
      let retryAt: Date | null = null;
      if (retry && def) {
        const delay = Math.max(0, def.backoff(row.attempts)) * (0.8 + 0.4 * this.random());
        retryAt = new Date(now.getTime() + delay);
      }
      await repo.fail(this.ctx.db, { id: row.id, token, now, error: message(error), retryAt });
      if (!retry) this.log.warn({ job: row.id, name: row.name, err: error }, 'job failed for good');
    } catch (err) {
      // The lease will expire and the job be retried: recording the outcome is not worth crashing for.
      this.log.error({ err, job: row.id }, 'job runner: recording an outcome failed');
    }
  }
}
