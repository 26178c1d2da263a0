import type { AuditVerification } from '../../../contracts/index.js';
import type { Db } from '../context.js';
import * as repo from './audit.repository.js';
import { entryHash, GENESIS } from './canonical.js';
import { type Checkpoint, type CheckpointFile, readCheckpoints } from './checkpoints.js';
import type { ChainKeys } from './keys.js';
import { headProblem } from './sealer.js';

type Problem = AuditVerification['problems'][number];

/** Options of {@link verifyChain}. */
export interface VerifyOptions {
  /** A checkpoint file to compare the chain with; a missing file is reported unless `optional`. */
  checkpoints?: { file: string; optional?: boolean };
}

/** Walks the sealed entries in chain order; returns where the chain ends. */
async function walk(
  db: Db,
  keys: ChainKeys,
  keyedFrom: bigint,
  bySeq: Map<string, Checkpoint[]>,
  problems: Problem[],
): Promise<{ lastSeq: bigint; lastHash: string; checked: number; legacy: number }> {
  let prev = GENESIS;
  let expected = 1n;
  let checked = 0;
  let legacy = 0;
  let after = '0';
  for (;;) {
    const rows = await repo.sealedBatch(db, after, 2000);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = BigInt(r.seq);
      const at = { seq: r.seq, id: r.id };
      if (seq !== expected) {
        const gap = `${expected}${seq - 1n > expected ? `–${seq - 1n}` : ''}`;
        problems.push({ ...at, kind: 'missing', problem: `entries ${gap} are missing (deleted)` });
        prev = r.prev_hash ?? prev;
      }
      if (r.prev_hash !== prev)
        problems.push({ ...at, kind: 'broken_link', problem: 'link to the previous entry is broken' });
      const keyed = seq >= keyedFrom;
      if (!keyed) legacy++;
      const hash = entryHash(r.prev_hash ?? prev, r, keyed ? keys.chain : null);
      if (hash !== r.hash)
        problems.push({ ...at, kind: 'modified', problem: 'entry was modified after it was sealed' });
      for (const c of bySeq.get(r.seq) ?? []) {
        if (c.hash !== r.hash)
          problems.push({
            ...at,
            kind: 'diverged',
            problem: `differs from the checkpoint of ${c.at}: rewritten`,
          });
      }
      prev = r.hash ?? hash;
      expected = seq + 1n;
      after = r.seq;
      checked++;
    }
  }
  return { lastSeq: expected - 1n, lastHash: prev, checked, legacy };
}

/** Compares the chain's end and keyed part with the checkpoints: a checkpoint past the end means truncation. */
function checkpointProblems(cps: CheckpointFile, lastSeq: bigint, keyedFrom: bigint): Problem[] {
  const problems: Problem[] = cps.invalid.map((b) => ({
    seq: null,
    id: null,
    kind: 'checkpoint' as const,
    problem: `line ${b.line} of ${cps.file} is not a valid checkpoint: ${b.reason}`,
  }));
  const beyond = cps.valid.filter((c) => BigInt(c.seq) > lastSeq);
  const latest = beyond.reduce<Checkpoint | undefined>(
    (m, c) => (!m || BigInt(c.seq) > BigInt(m.seq) ? c : m),
    undefined,
  );
  if (latest) {
    problems.push({
      seq: latest.seq,
      id: null,
      kind: 'truncated',
      problem: `the chain ends at entry ${lastSeq}, but the checkpoint of ${latest.at} records entry ${latest.seq}: entries ${lastSeq + 1n}–${latest.seq} were deleted`,
    });
  }
  const downgraded = cps.valid.find((c) => BigInt(c.keyedFrom) < keyedFrom);
  if (downgraded) {
    problems.push({
      seq: downgraded.keyedFrom,
      id: null,
      kind: 'diverged',
      problem: `the checkpoint of ${downgraded.at} has the chain keyed from entry ${downgraded.keyedFrom}, the database from ${keyedFrom}: keyed entries were re-sealed without the key`,
    });
  }
  return problems;
}

/** Entries the sealer refused (backdated or dated in the future), as problems. */
async function refusedProblems(db: Db): Promise<Problem[]> {
  const rows = await repo.refusedEntries(db, 1000);
  return rows.map((r) => ({
    seq: null,
    id: r.id,
    kind: 'refused' as const,
    problem: `"${r.action}" by ${r.actor_label} was refused by the sealer: ${r.refused ?? ''}`,
  }));
}

/**
 * Walks the whole chain with the chain key and reports every entry edited, deleted or reordered behind
 * Steward's back (even with every later link recomputed: without the key it cannot be), a head that was
 * altered or does not match the last entry, entries the sealer refused as backdated, and, given a checkpoint
 * file, truncation back to before a checkpoint. Entries sealed before the chain was keyed are checked with the
 * legacy unkeyed hash and counted in `legacy`.
 */
export async function verifyChain(
  db: Db,
  keys: ChainKeys,
  opts: VerifyOptions = {},
): Promise<AuditVerification> {
  const problems: Problem[] = [];
  const head = await repo.chainHead(db);
  const keyedFrom = BigInt(head?.keyed_from ?? '1');
  const cps = opts.checkpoints && (await readCheckpoints(opts.checkpoints.file, keys));
  if (opts.checkpoints && !cps && !opts.checkpoints.optional) {
    problems.push({
      seq: null,
      id: null,
      kind: 'checkpoint',
      problem: `the checkpoint file ${opts.checkpoints.file} does not exist`,
    });
  }
  const bySeq = new Map<string, Checkpoint[]>();
  for (const c of cps?.valid ?? []) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const end = await walk(db, keys, keyedFrom, bySeq, problems);
  if (head) {
    const hp = headProblem(head, keys);
    if (hp) problems.push({ seq: head.seq, id: null, kind: 'head', problem: hp });
    if (head.seq !== end.lastSeq.toString() || head.hash !== end.lastHash) {
      problems.push({
        seq: head.seq,
        id: null,
        kind: 'head',
        problem: `the chain ends at entry ${end.lastSeq} but its head records entry ${head.seq}: newest entries were deleted or altered`,
      });
    }
  } else if (end.checked > 0) {
    problems.push({ seq: null, id: null, kind: 'head', problem: 'the chain head is missing' });
  }
  if (cps) problems.push(...checkpointProblems(cps, end.lastSeq, keyedFrom));
  problems.push(...(await refusedProblems(db)));
  const latest = cps?.valid.reduce<string | null>(
    (m, c) => (m === null || BigInt(c.seq) > BigInt(m) ? c.seq : m),
    null,
  );
  return {
    ok: problems.length === 0,
    status:
      problems.length === 0
        ? 'intact'
        : problems.some((p) => p.kind === 'truncated')
          ? 'truncated'
          : 'tampered',
    checked: end.checked,
    unsealed: await repo.countUnsealed(db),
    legacy: end.legacy,
    checkpoints: cps ? { file: cps.file, valid: cps.valid.length, latestSeq: latest ?? null } : null,
    problems,
  };
}
