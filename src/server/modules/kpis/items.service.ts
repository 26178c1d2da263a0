/**
 * The list behind every figure: the same conditions as the figure (definitions.ts for tickets, records.ts for
 * other records), so the list's total is the figure's count. Tickets the caller may not see are counted and
 * listed as restricted rows, without their key or title.
 */
import type { KpiItem, KpiItems, KpiItemsQuery, KpiKey } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import { ticketHeadlines, visibleTicketIds } from '../tickets/index.js';
import { type FlowKpi, flowCondition, KPIS } from './definitions.js';
import { countFacts, type FactRow, type FactSet, pageFacts } from './items.repository.js';
import { catchUp, checkFilter } from './kpis.service.js';
import { endOf, startOf } from './period.js';
import { counts, type RecordKey, recordRows } from './records.js';
import { sql } from 'kysely';

/** A page of the rows a KPI counts over the query's period (only its hits with `hits=true`). */
export async function kpiItems(ctx: Ctx, actor: Actor, key: KpiKey, q: KpiItemsQuery): Promise<KpiItems> {
  can(actor, 'kpi:read');
  const { slice } = checkFilter(key, q);
  const def = KPIS[key];
  const onlyHits = q.hits === 'true';
  const start = startOf(q.from);
  const end = endOf(q.to);
  if (def.source === 'records') {
    const rows = (await recordRows(ctx, key as RecordKey, start, end, slice)).filter(
      (r) => counts(r, start, end, def.snapshot) && (!onlyHits || r.item.hit === true),
    );
    const offset = decodeCursor(q.cursor, ['integer'])?.[0] ?? 0;
    const page = rows.slice(offset, offset + q.limit);
    return {
      items: page.map((r) => ({ ...r.item, at: r.at.toISOString(), measure: null, restricted: false })),
      nextCursor: offset + q.limit < rows.length ? encodeCursor([offset + q.limit]) : null,
      total: rows.length,
    };
  }
  await catchUp(ctx);
  let set: FactSet;
  let hits = null;
  let measure = null;
  if (def.snapshot) {
    set = { kind: 'backlog', end };
    measure = sql<number>`extract(epoch FROM ${end}::timestamptz - created_at) / 86400.0`;
  } else {
    const flow = def as FlowKpi;
    const c = flowCondition(flow, false);
    set = { kind: 'flow', anchor: c.anchor, when: c.when, start, end };
    hits = flow.hits ? flowCondition(flow, true).when : null;
    measure = flow.measure ?? null;
  }
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
  const [rows, counted] = await Promise.all([
    pageFacts(ctx.db, set, slice, { hits, onlyHits, measure, after, limit: q.limit }),
    countFacts(ctx.db, set, slice, hits),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await ticketItems(ctx, actor, page),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.at, last.ticket_id]) : null,
    total: onlyHits ? (counted.hits ?? 0) : counted.total,
  };
}

/** Names the counted tickets the caller may see; the others are restricted rows. */
async function ticketItems(ctx: Ctx, actor: Actor, rows: FactRow[]): Promise<KpiItem[]> {
  const ids = rows.map((r) => r.ticket_id);
  const [visible, heads] = await Promise.all([
    visibleTicketIds(ctx.db, actor, ids),
    ticketHeadlines(ctx.db, ids),
  ]);
  const seen = new Set(visible);
  return rows.map((r) => {
    const h = seen.has(r.ticket_id) ? heads.get(r.ticket_id) : undefined;
    return {
      kind: 'ticket',
      id: h ? r.ticket_id : null,
      ref: h?.key ?? null,
      title: h?.title ?? null,
      at: r.at,
      hit: r.hit,
      measure: r.measure,
      restricted: !h,
    };
  });
}
