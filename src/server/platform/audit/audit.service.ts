import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditEntry, AuditQuery, AuditVerification } from '../../../contracts/index.js';
import type { Ctx, Db } from '../context.js';
import { Invalid } from '../errors.js';
import type { Actor } from '../permissions.js';
import * as repo from './audit.repository.js';
import { entryHash, GENESIS } from './canonical.js';

/** Field names never copied into the audit trail. */
const SECRET_FIELDS = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'tokenHash',
]);

function clean(obj: Record<string, unknown> | null): Record<string, unknown> | null {
  if (obj === null) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One audit entry to record: who, what, on which entity, and the state before and after. */
export interface AuditRecord {
  actor: Actor;
  action: string;
  entity: { type: string; id: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

function entryOf({ actor, action, entity, before, after }: AuditRecord, at: Date): repo.NewEntry {
  let b = clean(before);
  let a = clean(after);
  if (b && a) {
    const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
    const db2: Record<string, unknown> = {};
    const da: Record<string, unknown> = {};
    for (const k of keys) {
      if (!same(b[k], a[k])) {
        db2[k] = b[k] ?? null;
        da[k] = a[k] ?? null;
      }
    }
    b = db2;
    a = da;
  }
  return {
    at,
    actorId: actor.userId,
    actorLabel: actor.label,
    action,
    entityType: entity.type,
    entityId: entity.id,
    before: b,
    after: a,
    ip: actor.ip ?? null,
  };
}

/**
 * Records an audit entry inside the caller's transaction: who, what, on which entity, and for updates only the
 * fields that changed (before and after). Secrets are redacted. The entry joins the hash chain after commit.
 */
export async function record(
  db: Db,
  actor: Actor,
  action: string,
  entity: { type: string; id: string | null },
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  await repo.insertEntries(db, [entryOf({ actor, action, entity, before, after }, new Date())]);
}

/** Records several entries in one statement (a batch write), as {@link record} does each. */
export async function recordAll(db: Db, records: readonly AuditRecord[]): Promise<void> {
  const at = new Date();
  if (records.length > 0)
    await repo.insertEntries(
      db,
      records.map((r) => entryOf(r, at)),
    );
}

/**
 * Appends committed, unsealed entries to the hash chain. One sealer runs at a time in a process (calls are
 * coalesced) and across processes (an advisory lock), so writers never wait on the chain.
 */
export class AuditSealer {
  private running: Promise<void> | null = null;
  private again = false;

  /**
   * @param coalesceMs how long a run waits before it starts, so that the commits of a busy moment are sealed
   *   together (one chain transaction for many writes instead of one each)
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly onError: (err: unknown) => void,
    private readonly coalesceMs = 0,
  ) {}

  /** Asks for a seal soon; returns the promise of the run that will include entries committed so far. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        if (this.coalesceMs > 0) await new Promise((r) => setTimeout(r, this.coalesceMs));
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

  /** Seals up to `limit` entries; returns how many. */
  async sealBatch(limit: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      await repo.lockChain(tx);
      const head = await repo.chainHead(tx);
      const rows = await repo.unsealed(tx, limit);
      let seq = BigInt(head?.seq ?? '0');
      let prev = head?.hash ?? GENESIS;
      const seals: repo.Seal[] = [];
      for (const r of rows) {
        seq += 1n;
        const hash = entryHash(prev, { ...r, seq: seq.toString() });
        seals.push({ id: r.id, seq: seq.toString(), prevHash: prev, hash });
        prev = hash;
      }
      await repo.seal(tx, seals);
      if (rows.length > 0) await repo.setHead(tx, seq.toString(), prev);
      return rows.length;
    });
  }
}

/**
 * Walks the whole chain and reports every entry that was edited, deleted or reordered behind Steward's back,
 * and a head that does not match the last entry (the newest entries deleted).
 */
export async function verifyChain(db: Db): Promise<AuditVerification> {
  const problems: AuditVerification['problems'] = [];
  let prev = GENESIS;
  let expected = 1n;
  let checked = 0;
  let after = '0';
  for (;;) {
    const rows = await repo.sealedBatch(db, after, 2000);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = BigInt(r.seq);
      if (seq !== expected) {
        problems.push({
          seq: r.seq,
          id: r.id,
          problem: `entries ${expected}${seq - 1n > expected ? `–${seq - 1n}` : ''} are missing (deleted)`,
        });
        prev = r.prev_hash ?? prev;
      }
      if (r.prev_hash !== prev) {
        problems.push({ seq: r.seq, id: r.id, problem: 'link to the previous entry is broken' });
      }
      const hash = entryHash(r.prev_hash ?? prev, r);
      if (hash !== r.hash)
        problems.push({ seq: r.seq, id: r.id, problem: 'entry was modified after it was sealed' });
      prev = r.hash ?? hash;
      expected = seq + 1n;
      after = r.seq;
      checked++;
    }
  }
  const head = await repo.chainHead(db);
  const lastSeq = (expected - 1n).toString();
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    problems.push({
      seq: head.seq,
      id: null,
      problem: `the chain ends at entry ${lastSeq} but its head records entry ${head.seq}: newest entries were deleted or altered`,
    });
  } else if (!head && checked > 0) {
    problems.push({ seq: null, id: null, problem: 'the chain head is missing' });
  }
  return { ok: problems.length === 0, checked, unsealed: await repo.countUnsealed(db), problems };
}

function toView(r: Awaited<ReturnType<typeof repo.page>>[number]): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    ip: r.ip,
    seq: r.seq,
    hash: r.hash,
  };
}

/**
 * A page of one entity's history, newest first, with the entries of another entity that mention it
 * (`also`: a computer's discovery entries listing its installations). The cursor is the last id seen.
 */
export async function history(
  ctx: Ctx,
  entity: { type: string; id: string },
  q: { cursor?: string | undefined; limit: number },
  also?: repo.AlsoMentioned,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  checkCursor(q.cursor);
  return pageOfRows(await repo.historyPage(ctx.db, entity, also, q.cursor, q.limit), q.limit);
}

/** Entries fetched one past `limit` as a page: the first `limit`, and a cursor when there are more. */
function pageOfRows(rows: Awaited<ReturnType<typeof repo.page>>, limit: number) {
  const items = rows.slice(0, limit).map(toView);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

function checkCursor(cursor: string | undefined): void {
  if (cursor !== undefined && !/^\d{1,19}$/.test(cursor)) {
    throw Invalid('invalid cursor', [{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
}

/** A page of entries, newest first. The cursor is the last id seen. */
export async function list(
  ctx: Ctx,
  q: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  checkCursor(q.cursor);
  return pageOfRows(await repo.page(ctx.db, q, q.cursor), q.limit);
}
