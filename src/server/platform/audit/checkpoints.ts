import { createHmac } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Db } from '../context.js';
import * as repo from './audit.repository.js';
import { canonicalJson } from './canonical.js';
import { type ChainKeys, sameMac } from './keys.js';
import { AuditChainError, headProblem } from './sealer.js';

/**
 * A signed checkpoint of the chain, published outside the database (an append-only file, the log): the chain
 * reached entry `seq` with link `hash` at time `at`. Whoever later deletes the newest entries and rewinds the
 * head cannot take back what was published, so `verify --checkpoints` sees the chain end before a checkpoint.
 */
export const Checkpoint = z.strictObject({
  v: z.literal(1),
  seq: z.string().regex(/^\d{1,19}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The chain head's time (newest entry). */
  headAt: z.string().nullable(),
  /** The chain's first keyed position: a later, lower value would mean keyed entries were made "legacy". */
  keyedFrom: z.string().regex(/^\d{1,19}$/),
  /** When the checkpoint was taken. */
  at: z.string(),
  /** HMAC-SHA256 with the checkpoint key (derived from the master key). */
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
/** A signed checkpoint. */
export type Checkpoint = z.infer<typeof Checkpoint>;

function checkpointMac(keys: ChainKeys, c: Omit<Checkpoint, 'mac'>): string {
  const body = canonicalJson(['checkpoint', c.v, c.seq, c.hash, c.headAt, c.keyedFrom, c.at]);
  return createHmac('sha256', keys.checkpoint).update(body).digest('hex');
}

/**
 * The signed checkpoint of the chain as it stands, or null before the first seal. Throws
 * {@link AuditChainError} when the head was altered: signing it would vouch for the alteration.
 */
export async function takeCheckpoint(db: Db, keys: ChainKeys, now = new Date()): Promise<Checkpoint | null> {
  const head = await repo.chainHead(db);
  if (!head) return null;
  const problem = headProblem(head, keys);
  if (problem) throw new AuditChainError(problem);
  const fields = {
    v: 1 as const,
    seq: head.seq,
    hash: head.hash,
    headAt: head.at?.toISOString() ?? null,
    keyedFrom: head.keyed_from ?? '1',
    at: now.toISOString(),
  };
  return { ...fields, mac: checkpointMac(keys, fields) };
}

/** Appends a checkpoint as one JSON line to `file` (created with mode 0600), flushed to disk before returning. */
export async function appendCheckpoint(file: string, c: Checkpoint): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const fh = await open(file, 'a', 0o600);
  try {
    await fh.write(`${JSON.stringify(c)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The checkpoints of a file: those whose signature holds, and the lines that are not checkpoints of this key. */
export interface CheckpointFile {
  file: string;
  valid: Checkpoint[];
  invalid: { line: number; reason: string }[];
}

/** Reads a checkpoint file (JSON lines); undefined when it does not exist. Other read errors are thrown. */
export async function readCheckpoints(file: string, keys: ChainKeys): Promise<CheckpointFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const out: CheckpointFile = { file, valid: [], invalid: [] };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof Checkpoint.safeParse>;
    try {
      parsed = Checkpoint.safeParse(JSON.parse(line));
    } catch {
      out.invalid.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    if (!parsed.success) out.invalid.push({ line: i + 1, reason: 'not a checkpoint' });
    else if (!sameMac(parsed.data.mac, checkpointMac(keys, parsed.data)))
      out.invalid.push({ line: i + 1, reason: 'its signature does not match (forged, or another key)' });
    else out.valid.push(parsed.data);
  });
  return out;
}
