import type { AuditEntry, AuditQuery } from '../../../contracts/index.js';
import type { Ctx, Db } from '../context.js';
import { Invalid } from '../errors.js';
import type { Actor } from '../permissions.js';
import * as repo from './audit.repository.js';

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
