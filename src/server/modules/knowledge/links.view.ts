/** What an article's authors see of its links: the tickets (those they may see), items and changes, the flag. */
import type { Article, ArticleTicket } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { changeNames } from '../changes/index.js';
import { itemNames } from '../cmdb/index.js';
import { findVisibleTicket } from '../tickets/index.js';
import * as flow from './flow.repository.js';

/** The tickets, items and changes of an article and its review flag; nothing for readers. */
export async function linksOf(
  ctx: Ctx,
  db: Db,
  actor: Actor,
  articleId: string,
): Promise<Pick<Article, 'tickets' | 'targets' | 'reviewFlag'>> {
  if (!allows(actor, 'kb:write')) return { tickets: [], targets: [], reviewFlag: null };
  const [links, targets, flag] = await Promise.all([
    flow.ticketsOfArticle(db, articleId),
    flow.targetsOf(db, articleId),
    flow.flagOf(db, articleId),
  ]);
  const tickets: ArticleTicket[] = [];
  for (const l of links) {
    const t = await findVisibleTicket(db, actor, l.ticket_id);
    if (t)
      tickets.push({ id: t.id, key: t.key, type: t.type, title: t.title, status: t.status, role: l.role });
  }
  const ids = (type: 'item' | 'change') =>
    targets.filter((x) => x.target_type === type).map((x) => x.target_id);
  const [items, changes] = await Promise.all([
    itemNames({ ...ctx, db }, ids('item')),
    changeNames(db, ids('change')),
  ]);
  return {
    tickets,
    targets: targets.map((x) => ({
      type: x.target_type,
      id: x.target_id,
      name:
        (x.target_type === 'item' ? items.get(x.target_id) : changes.get(x.target_id)) ??
        (x.target_type === 'item' ? 'a deleted item' : 'a deleted change'),
    })),
    reviewFlag: flag ? { reason: flag.reason, at: flag.flagged_at.toISOString() } : null,
  };
}
