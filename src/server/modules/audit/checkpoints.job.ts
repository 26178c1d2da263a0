import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import {
  appendCheckpoint,
  type ChainKeys,
  type Checkpoint,
  takeCheckpoint,
} from '../../platform/audit/index.js';
import { defineJob, schedule } from '../../platform/jobs/index.js';

/** The job that publishes a signed checkpoint of the audit chain. */
export const CHECKPOINT_JOB = 'audit.checkpoint';

/** The part of a pino logger the publisher uses. */
export interface CheckpointLog {
  info(obj: object, msg: string): void;
}

/**
 * The publisher of each server, by its database: job handlers receive only the service context, and two
 * servers in one process (tests) must each publish with their own key and file.
 */
const publishers = new WeakMap<Kysely<DB>, () => Promise<Checkpoint | null>>();

defineJob(CHECKPOINT_JOB, {
  schema: z.object({}).loose(),
  handler: async (ctx) => {
    const publish = publishers.get(ctx.db);
    if (!publish) throw new Error('this process has no audit checkpoint publisher');
    await publish();
  },
  maxAttempts: 3,
});
// Every 5 minutes: truncation is detectable back to the last checkpoint, so this is the window it leaves.
schedule(CHECKPOINT_JOB, '*/5 * * * *', { timezone: 'UTC' });

/** Publishes checkpoints of one server's chain; {@link CheckpointPublisher.detach} on close. */
export interface CheckpointPublisher {
  /** Writes a checkpoint unless the chain did not move since the last one; returns it (or null). */
  publish(): Promise<Checkpoint | null>;
  detach(): void;
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
  publishers.set(opts.db, publish);
  return { publish, detach: () => publishers.delete(opts.db) };
}
