import type { ArticleSummary, GlobalSearchResult, Ticket } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { type Actor, allows } from '../../platform/permissions.js';
import * as cmdb from '../cmdb/index.js';
import * as tickets from '../tickets/index.js';
import * as users from '../users/index.js';

/** The knowledge base's search: the best published articles the actor may read (knowledge module). */
export type ArticleSearch = (actor: Actor, q: string, limit: number) => Promise<ArticleSummary[]>;

/** How many of each kind the global search shows. */
const SHOWN = 5;

const ticketHit = (t: Ticket): GlobalSearchResult['tickets'][number] => ({
  id: t.id,
  key: t.key,
  type: t.type,
  title: t.title,
  status: t.status,
  priority: t.priority,
});

/** The tickets a ticket number names: `INC-3` exactly, a bare `3` or `#3` in any type. */
async function numbered(ctx: Ctx, actor: Actor, q: string): Promise<Ticket[]> {
  const bare = /^#?(\d{1,9})$/.exec(q);
  if (bare) return tickets.findByNumber(ctx.db, actor, Number(bare[1]));
  const byKey = await tickets.findByKey(ctx.db, actor, q);
  return byKey ? [byKey] : [];
}

/**
 * The global search: tickets (by number, then by text, ranked), people, items and published articles, each
 * only as far as the caller may see them (requesters: their own tickets, no people, no items, articles for
 * requesters). Each kind asks its own module, so each keeps its own visibility rules.
 */
export async function globalSearch(
  ctx: Ctx,
  actor: Actor,
  q: string,
  searchArticles: ArticleSearch,
): Promise<GlobalSearchResult> {
  const [byNumber, byText, people, items, articles] = await Promise.all([
    numbered(ctx, actor, q),
    tickets.listTickets(ctx, actor, { q, limit: SHOWN }),
    allows(actor, 'user:read') ? users.listUsers(ctx, actor, { q, limit: SHOWN }) : { items: [] },
    allows(actor, 'ci:read') ? cmdb.listCis(ctx, actor, { q, limit: SHOWN }) : { items: [] },
    searchArticles(actor, q, SHOWN),
  ]);
  const seen = new Set(byNumber.map((t) => t.id));
  return {
    goTo: byNumber.length === 1 ? ticketHit(byNumber[0]!) : null,
    tickets: [...byNumber, ...byText.items.filter((t) => !seen.has(t.id))].slice(0, SHOWN).map(ticketHit),
    people: people.items.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role })),
    items: items.items.map((c) => ({ id: c.id, name: c.name, classKey: c.classKey, status: c.status })),
    articles: articles.map((a) => ({ id: a.id, key: a.key, kind: a.kind, title: a.title })),
  };
}
