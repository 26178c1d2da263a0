import type {
  SlaClockState,
  TicketListCountQuery,
  TicketListItem,
  TicketListQuery,
} from '../../../contracts/index.js';
import { fieldFilter } from './fields.service.js';
import type { Ctx } from '../../platform/context.js';
import { Invalid } from '../../platform/errors.js';
import { type CursorPart, decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import * as views from '../views/index.js';
import * as repo from './tickets.repository.js';
import type { ListFilter, SlaColumns, SortKey } from './tickets.repository.js';
import { toView } from './change.js';
import { searchColumn, visibleTo } from './visibility.js';

/**
 * With `viewId`, the caller's saved view (404 for anyone else's) supplies the filters, sort and order that
 * the query string does not give.
 */
async function withView<Q extends TicketListCountQuery>(ctx: Ctx, actor: Actor, q: Q): Promise<Q> {
  if (!q.viewId) return q;
  const view = await views.getView(ctx, actor, q.viewId);
  const given = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
  return { ...view.filters, ...given } as Q;
}

async function filterOf(ctx: Ctx, actor: Actor, q: TicketListCountQuery): Promise<ListFilter> {
  const assignee =
    q.assignee === 'me' ? (actor.userId ?? '00000000-0000-0000-0000-000000000000') : q.assignee;
  const { fields, ...rest } = q;
  return {
    ...rest,
    assignee: assignee === 'none' ? null : assignee,
    fields: await fieldFilter(ctx.db, actor, fields),
  };
}

/** The SQL type of each sort's key, as the repository casts a cursor's key back. */
const SORT_KEY_TYPE = {
  created: 'timestamp',
  updated: 'timestamp',
  response_due: 'timestamp',
  resolution_due: 'timestamp',
  priority: 'smallint',
  number: 'integer',
  relevance: 'real',
} as const satisfies Record<SortKey, CursorPart>;

/**
 * Reads a cursor made for this sort and direction: [sort, order, key, id], the key of the sort's type. A
 * cursor of another sort, or a forged one, is a 400 rather than a wrong page or a failed cast.
 */
function afterOf(
  cursor: string | undefined,
  sort: SortKey,
  order: 'asc' | 'desc',
): [string | number, string] | undefined {
  const v = decodeCursor(cursor, [{ literal: sort }, { literal: order }, SORT_KEY_TYPE[sort], 'uuid']);
  return v && [v[2], v[3]];
}

/**
 * Finds tickets: filters, full-text search (`q`, over title, description and comments; requesters never
 * match internal notes), and keyset pagination that is exact for every sort. Without `sort`, results are
 * ranked when `q` is given and newest first otherwise. Only visible tickets are ever considered.
 */
export async function listTickets(
  ctx: Ctx,
  actor: Actor,
  query: TicketListQuery,
): Promise<{ items: TicketListItem[]; nextCursor: string | null }> {
  const q = await withView(ctx, actor, query);
  const sort: SortKey = q.sort ?? (q.q ? 'relevance' : 'created');
  if (sort === 'relevance' && !q.q) {
    throw Invalid('sorting by relevance needs a search', [
      { path: 'query.sort', message: 'relevance needs q' },
    ]);
  }
  const order = q.order ?? 'desc';
  const after = afterOf(q.cursor, sort, order);
  const rows = await repo.page(ctx.db, {
    visible: visibleTo(actor),
    search: searchColumn(actor),
    filter: await filterOf(ctx, actor, q),
    sort,
    dir: order,
    after,
    limit: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const kept = rows.slice(0, q.limit);
  const last = kept.at(-1);
  return {
    items: kept.map((r) => ({ ...toView(r), sla: slaOf(r) })),
    nextCursor: more && last ? encodeCursor([sort, order, last.sort_key, last.id]) : null,
  };
}

function slaOf(r: SlaColumns): TicketListItem['sla'] {
  if (r.sla_ticket_id === null) return null;
  return {
    responseState: r.sla_response_state as SlaClockState | null,
    responseDueAt: r.sla_response_due_at?.toISOString() ?? null,
    resolutionState: r.sla_resolution_state as SlaClockState | null,
    resolutionDueAt: r.sla_resolution_due_at?.toISOString() ?? null,
  };
}

/** How many visible tickets match the filters (for queue badges). */
export async function countTickets(
  ctx: Ctx,
  actor: Actor,
  query: TicketListCountQuery,
): Promise<{ count: number }> {
  const q = await withView(ctx, actor, query);
  return {
    count: await repo.count(ctx.db, visibleTo(actor), searchColumn(actor), await filterOf(ctx, actor, q)),
  };
}
