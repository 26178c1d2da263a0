import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import {
  appendCheckpoint,
  type ChainKeys,
  type Checkpoint,
  takeCheckpoint,
} from '../../platform/audit/index.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';

/** The job that publishes a signed checkpoint of the audit chain. */
export const CHECKPOINT_JOB = 'audit.checkpoint';

/** The part of a pino logger the publisher uses. */
export interface CheckpointLog {
  info(obj: object, msg: string): void;
}

/** Publishes checkpoints of one server's chain. */
export interface CheckpointPublisher {
  /** Writes a checkpoint unless the chain did not move since the last one; returns it (or null). */
  publish(): Promise<Checkpoint | null>;
}

/**
 * Publishes signed checkpoints of the chain (sequence, hash, time) where the database cannot rewrite them:
 * appended to `file` and written to the log (which usually leaves the machine). Run by the `audit.checkpoint`
 * cron job, and once when the server stops.
 */
export function checkpointPublisher(opts: {
  db: Kysely<DB>;
  keys: ChainKeys;
  file: string;
  log: CheckpointLog;
}): CheckpointPublisher {
  let last = '';
  const publish = async (): Promise<Checkpoint | null> => {
    const c = await takeCheckpoint(opts.db, opts.keys);
    if (!c || `${c.seq}:${c.hash}` === last) return null;
    await appendCheckpoint(opts.file, c);
    opts.log.info({ auditCheckpoint: c }, 'audit checkpoint');
    last = `${c.seq}:${c.hash}`;
    return c;
  };
  return { publish };
}

/**
 * The audit module's job: `audit.checkpoint` publishes with this server's own publisher (its key and file, so
 * two servers in one process each publish their own), every 5 minutes: truncation is detectable back to the
 * last checkpoint, so this is the window it leaves.
 */
export function auditJobs(publisher: CheckpointPublisher): JobSet {
  return {
    types: [
      jobType(CHECKPOINT_JOB, {
        schema: z.object({}).loose(),
        handler: async () => void (await publisher.publish()),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(CHECKPOINT_JOB, '*/5 * * * *', { timezone: 'UTC' })],
  };
}
