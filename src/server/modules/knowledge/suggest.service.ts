/**
 * Suggestions while a requester writes a ticket in the portal, and the tickets they avoid: at most one per
 * visit of the form (the browser's page visit id; the primary key decides between parallel reports), counted
 * when they click "this solved it" or leave without sending after opening a suggestion.
 */
import type { AvoidedReport, Suggestion, SuggestionOpened, TicketAvoided } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import * as flow from './flow.repository.js';
import * as repo from './knowledge.repository.js';
import { visibleArticle } from './knowledge.service.js';
import { articleKey } from './view.js';
import { visibleTo } from './visibility.js';

/**
 * What a person typed, as a search for any of its words (ranked, so the articles sharing most words come
 * first): a ticket's title is a sentence, and requiring every word of it would find nothing.
 */
export function anyWordOf(text: string): string | undefined {
  const words = [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 3 && w !== 'or'),
    ),
  ].slice(0, 12);
  return words.length ? words.join(' or ') : undefined;
}

/** The best published, still valid articles the caller may read for what they are typing. */
export async function suggestions(ctx: Ctx, actor: Actor, q: string, limit: number): Promise<Suggestion[]> {
  can(actor, 'kb:read');
  const search = anyWordOf(q);
  if (!search) return [];
  const rows = await repo.listArticles(
    ctx.db,
    visibleTo(actor),
    { q: search, scope: 'published' },
    undefined,
    limit,
  );
  return rows.map((r) => ({ id: r.id, key: articleKey(r.number), kind: r.kind, title: r.title }));
}

/** The person's own visit id (409 when another person's). */
async function checkSession(ctx: Ctx, actor: Actor, sessionId: string): Promise<string> {
  const me = actor.userId;
  if (!me) throw Forbidden('only a person writes tickets in the portal');
  if (await flow.sessionOwnedByOther(ctx.db, sessionId, me))
    throw Conflict('this page visit belongs to someone else', 'foreign_session');
  return me;
}

/** Notes that the requester opened a suggestion (404 for an article they may not read). */
export async function suggestionOpened(ctx: Ctx, actor: Actor, input: SuggestionOpened): Promise<void> {
  can(actor, 'kb:read');
  const me = await checkSession(ctx, actor, input.sessionId);
  await visibleArticle(ctx.db, actor, input.articleId);
  await flow.insertSuggestionView(ctx.db, {
    sessionId: input.sessionId,
    userId: me,
    articleId: input.articleId,
  });
}

/**
 * Counts a ticket avoided for the visit: `solved` for a readable article, `left` only for one opened during
 * the visit. A second report of the same visit counts nothing (`counted: false`).
 */
export async function ticketAvoided(
  ctx: Ctx,
  actor: Actor,
  input: TicketAvoided,
): Promise<{ counted: boolean }> {
  can(actor, 'kb:read');
  const me = await checkSession(ctx, actor, input.sessionId);
  await visibleArticle(ctx.db, actor, input.articleId);
  if (input.how === 'left' && !(await flow.openedInSession(ctx.db, input.sessionId, me, input.articleId)))
    throw Invalid('the suggestion was not opened during this visit', [
      { path: 'body.articleId', message: 'open the suggestion first' },
    ]);
  return ctx.tx(async (db) => {
    const counted = await flow.insertDeflection(db, { ...input, userId: me });
    if (counted)
      await record(db, actor, 'kb.ticket_avoided', { type: 'kb_article', id: input.articleId }, null, {
        how: input.how,
      });
    return { counted };
  });
}

/** Tickets avoided per article over a period (authors). */
export async function avoidedReport(
  ctx: Ctx,
  actor: Actor,
  from: string | undefined,
  to: string | undefined,
): Promise<AvoidedReport> {
  can(actor, 'kb:write');
  if (from && to && from > to)
    throw Invalid('the period ends before it starts', [{ path: 'query.to', message: 'on or after from' }]);
  const rows = await flow.deflectionCounts(ctx.db, from, to);
  const items = rows.map((r) => ({
    id: r.id,
    key: articleKey(r.number),
    title: r.title,
    solved: Number(r.solved),
    left: Number(r.left),
    total: Number(r.total),
  }));
  return { from: from ?? null, to: to ?? null, total: items.reduce((a, b) => a + b.total, 0), items };
}
