import { type Selectable, sql } from 'kysely';
import type { AuditChainHeadTable } from '../../db/schema.js';
import type { AuditQuery } from '../../../contracts/index.js';
import type { Db } from '../context.js';
import type { ChainedFields } from './canonical.js';

/** An entry to insert. */
export interface NewEntry {
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
}

/**
 * Inserts unsealed entries (in the caller's transaction), in order. Many entries (a batch write, e.g. the
 * 1,500 installations of a machine's first discovery report) go in as one array per column through `unnest`:
 * nine parameters whatever their number, where a multi-row VALUES list had nine per entry to send and parse.
 */
export async function insertEntries(db: Db, entries: readonly NewEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const json = (v: Record<string, unknown> | null) => (v === null ? null : JSON.stringify(v));
  if (entries.length === 1) {
    const e = entries[0]!;
    await sql`INSERT INTO audit_log (at, actor_id, actor_label, action, entity_type, entity_id, before, after, ip)
      VALUES (${e.at}, ${e.actorId}, ${e.actorLabel}, ${e.action}, ${e.entityType}, ${e.entityId},
        ${json(e.before)}::jsonb, ${json(e.after)}::jsonb, ${e.ip})`.execute(db);
    return;
  }
  const col = <T>(f: (e: NewEntry) => T) => entries.map(f);
  await sql`INSERT INTO audit_log (at, actor_id, actor_label, action, entity_type, entity_id, before, after, ip)
    SELECT at, actor_id, actor_label, action, entity_type, entity_id, before, after, ip
    FROM unnest(${col((e) => e.at)}::timestamptz[], ${col((e) => e.actorId)}::uuid[],
      ${col((e) => e.actorLabel)}::text[], ${col((e) => e.action)}::text[], ${col((e) => e.entityType)}::text[],
      ${col((e) => e.entityId)}::text[], ${col((e) => json(e.before))}::jsonb[], ${col((e) => json(e.after))}::jsonb[],
      ${col((e) => e.ip)}::text[])
      WITH ORDINALITY AS v(at, actor_id, actor_label, action, entity_type, entity_id, before, after, ip, n)
    ORDER BY n`.execute(db);
}

/** Takes the sealer's lock for the rest of the transaction (one sealer at a time across processes). */
export async function lockChain(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7301954212)`.execute(db);
}

/** The chain head as stored. */
export type Head = Omit<Selectable<AuditChainHeadTable>, 'singleton'>;

/** The current chain head, or undefined before the first seal. */
export async function chainHead(db: Db): Promise<Head | undefined> {
  return db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash', 'at', 'keyed_from', 'mac', 'key_id'])
    .executeTakeFirst();
}

/** Committed entries not yet in the chain (nor refused), oldest first. */
export async function unsealed(db: Db, limit: number) {
  return db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'actor_id',
      'actor_label',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'ip',
    ])
    .where('seq', 'is', null)
    .where('refused', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** An entry's place in the chain. */
export interface Seal {
  id: string;
  seq: string;
  prevHash: string;
  hash: string;
}

/** Seals entries at their positions, in one statement. */
export async function seal(db: Db, seals: readonly Seal[]): Promise<void> {
  if (seals.length === 0) return;
  await sql`UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
    FROM unnest(${seals.map((s) => s.id)}::bigint[], ${seals.map((s) => s.seq)}::bigint[],
                ${seals.map((s) => s.prevHash)}::text[], ${seals.map((s) => s.hash)}::text[])
      AS v(id, seq, prev_hash, hash)
    WHERE a.id = v.id`.execute(db);
}

/** Moves the chain head. */
export async function setHead(db: Db, head: Head): Promise<void> {
  await db
    .insertInto('audit_chain_head')
    .values(head)
    .onConflict((oc) => oc.column('singleton').doUpdateSet(head))
    .execute();
}

/** Marks entries the sealer refused to chain, with the reason (they stay unsealed). */
export async function refuse(db: Db, refusals: readonly { id: string; reason: string }[]): Promise<void> {
  if (refusals.length === 0) return;
  await sql`UPDATE audit_log a SET refused = v.reason
    FROM unnest(${refusals.map((r) => r.id)}::bigint[], ${refusals.map((r) => r.reason)}::text[]) AS v(id, reason)
    WHERE a.id = v.id AND a.seq IS NULL`.execute(db);
}

/** Entries the sealer refused, oldest first (at most `limit`). */
export async function refusedEntries(db: Db, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'actor_label', 'refused'])
    .where('refused', 'is not', null)
    .where('seq', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Sealed entries in chain order, from `afterSeq` on. */
export async function sealedBatch(db: Db, afterSeq: string, limit: number) {
  return db
    .selectFrom('audit_log')
    .select([
      'id',
      'seq',
      'at',
      'actor_id',
      'actor_label',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'ip',
      'prev_hash',
      'hash',
    ])
    .where('seq', 'is not', null)
    .where(sql<boolean>`seq > ${afterSeq}::bigint`)
    .orderBy('seq')
    .limit(limit)
    .execute() as Promise<(ChainedFields & { prev_hash: string | null; hash: string | null })[]>;
}

/** Count of entries not yet sealed. */
export async function countUnsealed(db: Db): Promise<number> {
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('seq', 'is', null)
    .where('refused', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Entries of another entity that also belong to an entity's history: `action` entries whose `after` contains one of `contains`. */
export interface AlsoMentioned {
  entityId: string;
  action: string;
  contains: readonly Record<string, unknown>[];
}

/**
 * One page of an entity's history, newest first: its own entries, and those of `also` (both found on the
 * entity index). `beforeId` is the id to continue below.
 */
export async function historyPage(
  db: Db,
  entity: { type: string; id: string },
  also: AlsoMentioned | undefined,
  beforeId: string | undefined,
  limit: number,
) {
  const mentioned = also
    ? sql`OR (entity_type = ${entity.type} AND entity_id = ${also.entityId} AND action = ${also.action}
        AND after @> ANY(${also.contains.map((c) => JSON.stringify(c))}::jsonb[]))`
    : sql``;
  return (
    await sql<Awaited<ReturnType<typeof page>>[number]>`SELECT * FROM audit_log
      WHERE ((entity_type = ${entity.type} AND entity_id = ${entity.id}) ${mentioned})
        ${beforeId ? sql`AND id < ${beforeId}::bigint` : sql``}
      ORDER BY id DESC LIMIT ${limit + 1}`.execute(db)
  ).rows;
}

/** One page of entries, newest first, filtered; `before` is the id to continue below. */
export async function page(db: Db, q: AuditQuery, beforeId: string | undefined) {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.from) query = query.where('at', '>=', new Date(q.from));
  if (q.to) query = query.where('at', '<', new Date(q.to));
  if (beforeId) query = query.where(sql<boolean>`id < ${beforeId}::bigint`);
  return query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
}
