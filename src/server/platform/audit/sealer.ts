import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Db } from '../context.js';
import * as repo from './audit.repository.js';
import { entryHash, GENESIS, headMac } from './canonical.js';
import { type ChainKeys, sameMac } from './keys.js';

/**
 * How far an entry may be dated before the chain head's time and still be sealed: commits land out of order
 * (an entry's time is taken inside its transaction) and the clocks of several Steward processes differ a
 * little. Further back, the entry is refused: it was backdated.
 */
export const MAX_SKEW_MS = 5 * 60_000;

/** Thrown when the chain cannot be extended safely: its head was altered, or it is sealed with another key. */
export class AuditChainError extends Error {
  override readonly name = 'AuditChainError';
}

/** What is wrong with a stored chain head under `keys`, or null when it is sound. */
export function headProblem(head: repo.Head, keys: ChainKeys): string | null {
  if (head.key_id !== null && head.key_id !== keys.id) {
    return (
      'the audit chain is sealed with another master key: every Steward process sharing this database ' +
      'must use the same STEWARD_MASTER_KEY_FILE'
    );
  }
  if (head.keyed_from === null) return "the chain head was altered behind Steward's back (no keyed position)";
  // A head not yet signed is the unkeyed head an upgrade left (migration 0021): it may only end the legacy part.
  if (head.mac === null && BigInt(head.seq) === BigInt(head.keyed_from) - 1n) return null;
  if (sameMac(head.mac, headMac(keys.chain, head))) return null;
  return "the chain head was altered behind Steward's back (its signature does not match)";
}

/** Options of {@link AuditSealer}. */
export interface SealerOptions {
  /**
   * How long a run waits before it starts, so that the commits of a busy moment are sealed together (one chain
   * transaction for many writes instead of one each).
   */
  coalesceMs?: number;
  /** Told of entries refused (backdated, or dated in the future). */
  onRefused?: (refused: readonly { id: string; reason: string }[]) => void;
  /** The sealer's clock (tests pass another). */
  clock?: () => Date;
}

/**
 * Appends committed, unsealed entries to the keyed hash chain. One sealer runs at a time in a process (calls
 * are coalesced) and across processes (an advisory lock held for the run's transaction), so writers never
 * wait on the chain. Entries dated before the chain head's time (beyond {@link MAX_SKEW_MS}) or in the future
 * are refused, not chained: a backdated entry would otherwise be sealed like any other.
 */
export class AuditSealer {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly keys: ChainKeys,
    private readonly onError: (err: unknown) => void,
    private readonly opts: SealerOptions = {},
  ) {}

  /** Asks for a seal soon; returns the promise of the run that will include entries committed so far. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        const wait = this.opts.coalesceMs ?? 0;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        do {
          this.again = false;
          while ((await this.sealBatch(500)) === 500);
        } while (this.again);
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Throws {@link AuditChainError} when the database's chain is sealed with another master key (checked at
   * start-up, so that a process given a different key fails loudly instead of sealing a chain no one can verify).
   */
  async checkKey(): Promise<void> {
    const head = await repo.chainHead(this.db);
    if (head?.key_id && head.key_id !== this.keys.id)
      throw new AuditChainError(headProblem(head, this.keys)!);
  }

  /** Seals up to `limit` entries (or refuses them); returns how many were handled. */
  async sealBatch(limit: number): Promise<number> {
    const run = await this.db.transaction().execute(async (tx) => {
      await repo.lockChain(tx);
      const head = await repo.chainHead(tx);
      const problem = head && headProblem(head, this.keys);
      if (problem) throw new AuditChainError(problem);
      const rows = await repo.unsealed(tx, limit);
      return { handled: rows.length, refused: await this.append(tx, head, rows) };
    });
    if (run.refused.length > 0) this.opts.onRefused?.(run.refused);
    return run.handled;
  }

  /** Chains `rows` after `head` (or refuses them), and moves the head; returns the refused ones. */
  private async append(
    tx: Db,
    head: repo.Head | undefined,
    rows: Awaited<ReturnType<typeof repo.unsealed>>,
  ): Promise<{ id: string; reason: string }[]> {
    const now = (this.opts.clock?.() ?? new Date()).getTime();
    let seq = BigInt(head?.seq ?? '0');
    let prev = head?.hash ?? GENESIS;
    let at = head?.at ?? null;
    const seals: repo.Seal[] = [];
    const refusals: { id: string; reason: string }[] = [];
    for (const r of rows) {
      const reason =
        r.at.getTime() > now + MAX_SKEW_MS
          ? `dated ${r.at.toISOString()}, in the future`
          : at && r.at.getTime() < at.getTime() - MAX_SKEW_MS
            ? `dated ${r.at.toISOString()}, before the chain's newest entry (${at.toISOString()}): backdated`
            : null;
      if (reason) {
        refusals.push({ id: r.id, reason });
        continue;
      }
      seq += 1n;
      const hash = entryHash(prev, { ...r, seq: seq.toString() }, this.keys.chain);
      seals.push({ id: r.id, seq: seq.toString(), prevHash: prev, hash });
      prev = hash;
      if (!at || r.at > at) at = r.at;
    }
    await repo.seal(tx, seals);
    await repo.refuse(tx, refusals);
    if (seals.length > 0) {
      const next = { seq: seq.toString(), hash: prev, at, keyed_from: head?.keyed_from ?? '1' };
      await repo.setHead(tx, { ...next, mac: headMac(this.keys.chain, next), key_id: this.keys.id });
    }
    return refusals;
  }
}
