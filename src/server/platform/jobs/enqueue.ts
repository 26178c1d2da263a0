import { z } from 'zod';
import type { Db } from '../context.js';
import { Invalid } from '../errors.js';
import { insertJob } from './jobs.repository.js';
import type { JobDefinition } from './registry.js';

/** Options of {@link enqueue}. */
export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** While a pending job of this type holds the key, enqueueing again returns that job's id. */
  dedupeKey?: string;
  /** Higher runs first among due jobs (default 0). */
  priority?: number;
  /**
   * The job type (or just its payload check and attempts, when its handler is built elsewhere with the
   * server's dependencies): the payload is checked now and the job gets its attempts. Without it the payload
   * is stored as is (the runner checks it before every attempt) with 5 attempts.
   */
  definition?: Pick<JobDefinition<unknown>, 'schema' | 'maxAttempts'>;
}

/**
 * Enqueues job `name` with `payload` through `db`: pass the caller's transaction, so the job exists if and
 * only if the caller's write commits. With `opts.definition` the payload is checked now (400 on a mismatch);
 * a job waits for a runner that was given its type. Returns the job id.
 */
export async function enqueue(
  db: Db,
  name: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<string> {
  const def = opts.definition;
  if (def) {
    const parsed = def.schema.safeParse(payload);
    if (!parsed.success) throw Invalid(`invalid payload for job ${name}: ${z.prettifyError(parsed.error)}`);
  }
  if (opts.dedupeKey !== undefined && (opts.dedupeKey.length === 0 || opts.dedupeKey.length > 400)) {
    throw Invalid('a dedupe key must have 1 to 400 characters');
  }
  if (opts.priority !== undefined && !Number.isInteger(opts.priority))
    throw Invalid('job priority must be an integer');
  return insertJob(db, {
    name,
    payload: JSON.stringify(payload ?? {}),
    runAt: opts.runAt ?? new Date(),
    dedupeKey: opts.dedupeKey ?? null,
    priority: opts.priority ?? 0,
    maxAttempts: def?.maxAttempts ?? 5,
  });
}
