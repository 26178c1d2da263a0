import type {
  CiRelationship,
  CreateCiRelationship,
  Impact,
  ImpactQuery,
  RelationshipType,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import * as repo from './cmdb.repository.js';
import { relationshipProblem } from './rules.js';

/** The walks each `direction` makes (`upstream` and `downstream` are the other names the API accepts). */
const DIRECTIONS = {
  dependents: ['dependents'],
  downstream: ['dependents'],
  dependencies: ['dependencies'],
  upstream: ['dependencies'],
  both: ['dependents', 'dependencies'],
} as const satisfies Record<ImpactQuery['direction'], readonly ('dependents' | 'dependencies')[]>;

/** Most nodes an impact answer holds: past it the walk stops and says so (`truncated`). */
const MAX_NODES = 5_000;
/** Items whose names one query reads. */
const SUMMARY_SLICE = 1_000;

/**
 * A page of an item's relationships, both directions, each with the item at the other end; by type, then the
 * other item's name (a computer has one per installation found on it: 1,500 and more).
 */
export async function listRelationships(
  ctx: Ctx,
  actor: Actor,
  id: string,
  q: { cursor?: string | undefined; limit: number },
) {
  canCmdb(actor, 'ci:read');
  if (!(await repo.findCi(ctx.db, id))) throw NotFound('item');
  const after = decodeCursor(q.cursor, ['text', 'text', 'uuid']);
  const rows = await repo.relationshipsOf(ctx.db, id, after, q.limit + 1);
  return pageFrom(
    rows,
    q.limit,
    (r) => ({
      id: r.id,
      fromId: r.from_id,
      type: r.type as RelationshipType,
      toId: r.to_id,
      createdAt: r.created_at.toISOString(),
      other: { id: r.other_id, name: r.other_name, classKey: r.other_class },
    }),
    (r) => [r.type, r.other_name.toLowerCase(), r.id],
  );
}

/**
 * Adds "this item <type> toId", if the relationship rules allow it between the two items' kinds (400 naming
 * why not); the same relationship twice is a 409. Recorded in both items' histories.
 */
export async function addRelationship(
  ctx: Ctx,
  actor: Actor,
  fromId: string,
  input: CreateCiRelationship,
): Promise<CiRelationship> {
  canCmdb(actor, 'ci:write');
  if (input.toId === fromId) {
    throw Invalid('an item cannot relate to itself', [{ path: 'body.toId', message: 'the same item' }]);
  }
  return ctx.tx(async (db) => {
    if (!(await repo.findCi(db, fromId, true))) throw NotFound('item');
    const kinds = await repo.kindsOf(db, [fromId, input.toId]);
    const to = kinds.get(input.toId);
    if (!to) throw Invalid('unknown item', [{ path: 'body.toId', message: 'no such item' }]);
    const problem = relationshipProblem(input.type, kinds.get(fromId)!, to);
    if (problem) throw Invalid('this relationship is not allowed', [{ path: 'body.type', message: problem }]);
    const row = await repo.insertRelationship(db, fromId, input.type, input.toId);
    if (!row) throw Conflict('the items are already related this way', 'relationship_exists');
    const rel = {
      id: row.id,
      fromId,
      type: input.type,
      toId: input.toId,
      createdAt: row.created_at.toISOString(),
    };
    for (const id of [fromId, input.toId]) {
      await record(db, actor, 'ci.related', { type: 'ci', id }, null, { ...rel });
    }
    return rel;
  });
}

/** Removes one of an item's relationships (404 for one that does not touch the item). */
export async function removeRelationship(ctx: Ctx, actor: Actor, ciId: string, relId: string): Promise<void> {
  canCmdb(actor, 'ci:write');
  await ctx.tx(async (db) => {
    const r = await repo.relationship(db, ciId, relId);
    if (!r) throw NotFound('relationship');
    await repo.deleteRelationship(db, relId);
    const rel = { id: r.id, fromId: r.from_id, type: r.type, toId: r.to_id };
    for (const id of [r.from_id, r.to_id]) {
      await record(db, actor, 'ci.unrelated', { type: 'ci', id }, { ...rel }, null);
    }
  });
}

/** Orders the nodes of an answer by name (one collator for the whole sort, not one per comparison). */
const byName = new Intl.Collator('en', { sensitivity: 'base' }).compare;

/**
 * The graph around an item to `depth` steps: `dependents` (`downstream`) follows relationships into each item (what is
 * affected when it fails), `dependencies` (`upstream`) follows them out (what it relies on), `both` does both. A
 * breadth-first walk, one query per step over the whole frontier; each item is visited once at its
 * shortest distance, so cycles end the walk rather than loop it. The names of the items a step reaches are
 * read while the next step runs (on PostgreSQL, over another connection), so the walk costs about its steps alone.
 */
export async function impactOf(ctx: Ctx, actor: Actor, id: string, q: ImpactQuery): Promise<Impact> {
  canCmdb(actor, 'ci:read');
  const root = repo.summaries(ctx.db, [id]);
  const named: Promise<repo.CiSummary[]>[] = [root];
  // A read still running when a later step fails must not become an unhandled rejection.
  const read = (ids: string[]) => {
    // In slices, so that on PostgreSQL the lookups of a large step run on several connections at once.
    for (let i = 0; i < ids.length; i += SUMMARY_SLICE) {
      const p = repo.summaries(ctx.db, ids.slice(i, i + SUMMARY_SLICE));
      p.catch(() => undefined);
      named.push(p);
    }
  };
  root.catch(() => undefined);
  if ((await root).length === 0) throw NotFound('item');
  const depthOf = new Map<string, number>([[id, 0]]);
  const edges = new Map<string, { fromId: string; type: RelationshipType; toId: string }>();
  const directions = DIRECTIONS[q.direction];
  let truncated = false;
  for (const direction of directions) {
    let frontier = [id];
    for (let depth = 1; depth <= q.depth && frontier.length > 0 && !truncated; depth++) {
      if (depthOf.size >= MAX_NODES) {
        // Full, with steps left to take: no edge of this step could add an item.
        truncated = true;
        break;
      }
      const next: string[] = [];
      // No more edges than could still add nodes (a few per node: many lead to items already seen); a step
      // that hits the limit may have left edges out, so the answer says it is truncated.
      const limit = (MAX_NODES - depthOf.size) * 4 + 100;
      const found = await repo.edgesAt(ctx.db, frontier, direction, limit);
      if (found.length >= limit) truncated = true;
      for (const e of found) {
        const other = direction === 'dependents' ? e.from_id : e.to_id;
        edges.set(`${e.from_id}|${e.type}|${e.to_id}`, {
          fromId: e.from_id,
          type: e.type as RelationshipType,
          toId: e.to_id,
        });
        if (!depthOf.has(other)) {
          if (depthOf.size >= MAX_NODES) {
            truncated = true;
            break;
          }
          depthOf.set(other, depth);
          next.push(other);
        }
      }
      if (next.length > 0) read(next);
      frontier = next;
    }
  }
  const nodes = (await Promise.all(named))
    .flat()
    .map((n) => ({
      id: n.id,
      name: n.name,
      classKey: n.class_key,
      status: n.status,
      depth: depthOf.get(n.id)!,
    }))
    .sort((a, b) => a.depth - b.depth || byName(a.name, b.name));
  // Only edges between nodes of the answer (a truncated walk may have seen edges to nodes it dropped).
  const kept = [...edges.values()].filter((e) => depthOf.has(e.fromId) && depthOf.has(e.toId));
  return { root: id, nodes, edges: kept, truncated };
}
