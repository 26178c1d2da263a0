/**
 * SQL of knowledge in the flow of work: kb_ticket_links (articles linked to tickets), kb_suggestion_views and
 * kb_deflections (portal suggestions and tickets avoided), kb_item_links and kb_review_flags (articles that
 * depend on items and changes). The knowledge module owns all of them.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import type { ArticleTicketRole } from '../../../contracts/index.js';

/** Links an article to a ticket; false when they were linked already. */
export async function insertTicketLink(
  db: Db,
  l: { articleId: string; ticketId: string; role: ArticleTicketRole; by: string | null; byName: string },
): Promise<boolean> {
  const r = await db
    .insertInto('kb_ticket_links')
    .values({
      article_id: l.articleId,
      ticket_id: l.ticketId,
      role: l.role,
      created_by: l.by,
      created_by_name: l.byName,
    })
    .onConflict((oc) => oc.columns(['article_id', 'ticket_id']).doNothing())
    .returning('article_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Removes a link; false when there was none. */
export async function deleteTicketLink(db: Db, articleId: string, ticketId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('kb_ticket_links')
    .where('article_id', '=', articleId)
    .where('ticket_id', '=', ticketId)
    .returning('article_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The article a ticket already has in `role` (`source` and `known_error` are one per ticket). */
export async function articleInRole(db: Db, ticketId: string, role: 'source' | 'known_error') {
  return db
    .selectFrom('kb_ticket_links as l')
    .innerJoin('kb_articles as a', 'a.id', 'l.article_id')
    .select(['a.id', 'a.number'])
    .where('l.ticket_id', '=', ticketId)
    .where('l.role', '=', role)
    .executeTakeFirst();
}

/**
 * The articles linked to any of `ticketIds` that `visible` (a condition over `a`) lets the caller see, with
 * the title they see: the published one for readers, the newest for authors.
 */
export async function articlesOfTickets(
  db: Db,
  ticketIds: readonly string[],
  visible: RawBuilder<boolean>,
  authors: boolean,
) {
  if (ticketIds.length === 0) return [];
  const shown = authors ? sql.ref('a.current_version') : sql.ref('a.published_version');
  return db
    .selectFrom('kb_ticket_links as l')
    .innerJoin('kb_articles as a', 'a.id', 'l.article_id')
    .innerJoin('kb_versions as v', (j) =>
      j.onRef('v.article_id', '=', 'a.id').on(sql<boolean>`v.version = ${shown}`),
    )
    .select([
      'a.id',
      'a.number',
      'a.kind',
      'a.status',
      'v.title',
      'l.ticket_id',
      'l.role',
      'l.created_by_name',
      'l.created_at',
    ])
    .where('l.ticket_id', 'in', ticketIds)
    .where(visible)
    .orderBy('l.created_at')
    .orderBy('a.number')
    .execute();
}

/** The tickets an article is linked to (ids and roles; the tickets module says which the caller may see). */
export async function ticketsOfArticle(db: Db, articleId: string) {
  return db
    .selectFrom('kb_ticket_links')
    .select(['ticket_id', 'role'])
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .execute();
}

/** Notes that a requester opened a suggestion during a visit of the form (once per visit and article). */
export async function insertSuggestionView(
  db: Db,
  v: { sessionId: string; userId: string; articleId: string },
): Promise<void> {
  await db
    .insertInto('kb_suggestion_views')
    .values({ session_id: v.sessionId, user_id: v.userId, article_id: v.articleId })
    .onConflict((oc) => oc.columns(['session_id', 'article_id']).doNothing())
    .execute();
}

/** Whether this person opened this article during this visit. */
export async function openedInSession(db: Db, sessionId: string, userId: string, articleId: string) {
  const r = await db
    .selectFrom('kb_suggestion_views')
    .select('session_id')
    .where('session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return r !== undefined;
}

/** Whether another person already used this visit id (it is theirs). */
export async function sessionOwnedByOther(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const [v, d] = await Promise.all([
    db
      .selectFrom('kb_suggestion_views')
      .select('user_id')
      .where('session_id', '=', sessionId)
      .where('user_id', '<>', userId)
      .executeTakeFirst(),
    db
      .selectFrom('kb_deflections')
      .select('user_id')
      .where('session_id', '=', sessionId)
      .where('user_id', '<>', userId)
      .executeTakeFirst(),
  ]);
  return v !== undefined || d !== undefined;
}

/** Counts a ticket avoided for the visit; false when the visit already counted one (the primary key decides). */
export async function insertDeflection(
  db: Db,
  d: { sessionId: string; userId: string; articleId: string; how: 'solved' | 'left' },
): Promise<boolean> {
  const r = await db
    .insertInto('kb_deflections')
    .values({ session_id: d.sessionId, user_id: d.userId, article_id: d.articleId, how: d.how })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .returning('session_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Tickets avoided per article between two days (inclusive), most first, with the article's newest title. */
export async function deflectionCounts(db: Db, from: string | undefined, to: string | undefined) {
  let q = db
    .selectFrom('kb_deflections as d')
    .innerJoin('kb_articles as a', 'a.id', 'd.article_id')
    .innerJoin('kb_versions as v', (j) =>
      j.onRef('v.article_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'),
    )
    .select((eb) => [
      'a.id',
      'a.number',
      'v.title',
      eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) FILTER (WHERE d.how = 'solved')::int`.as('solved'),
      sql<number>`count(*) FILTER (WHERE d.how = 'left')::int`.as('left'),
    ])
    .groupBy(['a.id', 'a.number', 'v.title']);
  if (from) q = q.where('d.created_at', '>=', sql<Date>`${from}::date`);
  if (to) q = q.where('d.created_at', '<', sql<Date>`${to}::date + 1`);
  return q.orderBy('total', 'desc').orderBy('a.number').limit(500).execute();
}

/** Links an article to an item or a change; false when linked already. */
export async function insertTargetLink(
  db: Db,
  l: { articleId: string; type: 'item' | 'change'; targetId: string; byName: string },
): Promise<boolean> {
  const r = await db
    .insertInto('kb_item_links')
    .values({
      article_id: l.articleId,
      target_type: l.type,
      target_id: l.targetId,
      created_by_name: l.byName,
    })
    .onConflict((oc) => oc.columns(['article_id', 'target_type', 'target_id']).doNothing())
    .returning('article_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Removes an item or change link; false when there was none. */
export async function deleteTargetLink(
  db: Db,
  articleId: string,
  type: 'item' | 'change',
  targetId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('kb_item_links')
    .where('article_id', '=', articleId)
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .returning('article_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The items and changes an article depends on. */
export async function targetsOf(db: Db, articleId: string) {
  return db
    .selectFrom('kb_item_links')
    .select(['target_type', 'target_id'])
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .execute();
}

/**
 * Flags every article (not retired) linked to the target for review, with the reason; returns their ids. An
 * article already flagged keeps its first date and takes the newest reason.
 */
export async function flagArticlesOf(
  db: Db,
  type: 'item' | 'change',
  targetId: string,
  reason: string,
): Promise<string[]> {
  const rows = await db
    .insertInto('kb_review_flags')
    .columns(['article_id', 'reason'])
    .expression((eb) =>
      eb
        .selectFrom('kb_item_links as l')
        .innerJoin('kb_articles as a', 'a.id', 'l.article_id')
        .select(['l.article_id', sql<string>`${reason}::text`.as('reason')])
        .where('l.target_type', '=', type)
        .where('l.target_id', '=', targetId)
        .where('a.status', '<>', 'retired'),
    )
    .onConflict((oc) => oc.column('article_id').doUpdateSet({ reason: (eb) => eb.ref('excluded.reason') }))
    .returning('article_id')
    .execute();
  return rows.map((r) => r.article_id);
}

/** The review flag of an article, if any. */
export async function flagOf(db: Db, articleId: string) {
  return db
    .selectFrom('kb_review_flags')
    .select(['reason', 'flagged_at'])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
}

/** Clears an article's review flag; the reason it had, or undefined when it had none. */
export async function clearFlag(db: Db, articleId: string): Promise<string | undefined> {
  const r = await db
    .deleteFrom('kb_review_flags')
    .where('article_id', '=', articleId)
    .returning('reason')
    .executeTakeFirst();
  return r?.reason;
}
