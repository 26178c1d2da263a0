import type { z } from 'zod';
import type { Ctx } from '../context.js';
import { checkCron } from './cron.js';

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: string;
  name: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job's `timeoutMs` has passed or the runner stops: long handlers should honour it. */
  signal: AbortSignal;
  runAt: Date;
  createdAt: Date;
}

/** Options of {@link jobType}. */
export interface JobOptions<P> {
  /** Validates the stored payload before every attempt; a payload that fails it fails the job for good. */
  schema: z.ZodType<P>;
  handler: (ctx: Ctx, payload: P, job: JobInfo) => Promise<void>;
  /** Attempts before the job is `failed` (default 5). */
  maxAttempts?: number;
  /** Delay in ms before attempt `attempt + 1` after attempt `attempt` failed; the runner adds ±20 % jitter. */
  backoff?: (attempt: number) => number;
  /** After this many ms the handler's signal is aborted and the attempt counts as failed (default 5 minutes). */
  timeoutMs?: number;
}

/** A registered job type. */
export interface JobDefinition<P> {
  name: string;
  schema: z.ZodType<P>;
  handler: (ctx: Ctx, payload: P, job: JobInfo) => Promise<void>;
  maxAttempts: number;
  backoff: (attempt: number) => number;
  timeoutMs: number;
}

/** A registered cron schedule. */
export interface ScheduleDefinition {
  key: string;
  jobName: string;
  cron: string;
  timezone: string;
  payload: unknown;
}

/** A module's job types and the cron schedules that enqueue them, as its factory returns them. */
export interface JobSet {
  types: readonly JobDefinition<unknown>[];
  schedules: readonly ScheduleDefinition[];
}

/** Several job sets as one (a module with jobs in several files returns them together). */
export function joinJobs(...sets: readonly JobSet[]): JobSet {
  return { types: sets.flatMap((s) => s.types), schedules: sets.flatMap((s) => s.schedules) };
}

/**
 * Thrown by a handler when retrying cannot help (bad input, a deleted target): the job fails at once,
 * without using its remaining attempts.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** 10 s, 20 s, 40 s … capped at one hour. */
export const defaultBackoff = (attempt: number): number => Math.min(10_000 * 2 ** (attempt - 1), 3_600_000);

const JOB_NAME = /^[a-z][a-z0-9_.:-]{0,199}$/;

/**
 * Builds a job type: a module factory returns it with the module's other parts and main.ts hands it to its
 * JobRunner (`RunnerOptions.jobs`), so that the handler may close over that server's own dependencies. There is
 * no process-wide registry: a runner runs exactly the job types it was given.
 */
export function jobType<P>(name: string, opts: JobOptions<P>): JobDefinition<unknown> {
  if (!JOB_NAME.test(name)) throw new Error(`invalid job name "${name}"`);
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error(`job "${name}": maxAttempts must be ≥ 1`);
  const def: JobDefinition<P> = {
    name,
    schema: opts.schema,
    handler: opts.handler,
    maxAttempts,
    backoff: opts.backoff ?? defaultBackoff,
    timeoutMs: opts.timeoutMs ?? 300_000,
  };
  return def as JobDefinition<unknown>;
}

/**
 * Builds a cron schedule (croner syntax, 5 or 6 fields) in an IANA time zone: each
 * firing enqueues job `name` with `payload`, exactly once across all Steward processes sharing the database.
 * `key` (default: the job name) identifies the schedule, so one job may have several schedules. Throws on an
 * invalid pattern or time zone. A module factory returns it beside its {@link jobType}.
 */
export function cronSchedule(
  name: string,
  cron: string,
  opts: { timezone: string; payload?: unknown; key?: string },
): ScheduleDefinition {
  checkCron(cron, opts.timezone);
  return {
    key: opts.key ?? name,
    jobName: name,
    cron,
    timezone: opts.timezone,
    payload: opts.payload ?? {},
  };
}
