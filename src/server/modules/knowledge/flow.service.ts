/**
 * Knowledge in the flow of work (issue 27 item 4): articles linked to tickets and problems (the links are
 * this module's; the tickets module says which tickets the caller may see), a draft how-to made from a
 * resolved ticket, a problem's known error article, and the articles shown on a ticket, including the known
 * error of the problem an incident is linked to.
 */
import type { CreateKnownError, LinkArticle, Ticket, TicketArticle } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { allows, type Actor, can } from '../../platform/permissions.js';
import { findVisibleTicket, lastPublicAnswer, problemOf } from '../tickets/index.js';
import * as flow from './flow.repository.js';
import { insertDraftIn, nameOf, visibleArticle } from './knowledge.service.js';
import { articleKey } from './view.js';
import { visibleTo } from './visibility.js';

/** A ticket the caller may see (404 otherwise). */
async function visibleTicket(db: Db, actor: Actor, id: string): Promise<Ticket> {
  const t = await findVisibleTicket(db, actor, id);
  if (!t) throw NotFound('ticket');
  return t;
}

/** The ticket's articles as the caller may see them; an incident also shows its problem's known error. */
export async function ticketArticles(ctx: Ctx, actor: Actor, ticketId: string): Promise<TicketArticle[]> {
  can(actor, 'kb:read');
  const t = await visibleTicket(ctx.db, actor, ticketId);
  const problemId = t.type === 'incident' ? await problemOf(ctx.db, t.id) : undefined;
  // the problem's known error shows on its incidents only for those who may see the problem
  const problem = problemId ? await findVisibleTicket(ctx.db, actor, problemId) : undefined;
  const rows = await flow.articlesOfTickets(
    ctx.db,
    problem ? [t.id, problem.id] : [t.id],
    visibleTo(actor),
    allows(actor, 'kb:write'),
  );
  return rows
    .filter((r) => r.ticket_id === t.id || r.role === 'known_error')
    .map((r) => ({
      id: r.id,
      key: articleKey(r.number),
      kind: r.kind,
      status: r.status,
      title: r.title,
      role: r.role,
      via: r.ticket_id === t.id ? null : (problem?.key ?? null),
      linkedBy: r.created_by_name,
      linkedAt: r.created_at.toISOString(),
    }));
}

/** Links an article to a ticket (agents; 409 when linked already). */
export async function linkArticle(ctx: Ctx, actor: Actor, ticketId: string, input: LinkArticle) {
  can(actor, 'kb:write');
  can(actor, 'ticket:work');
  await ctx.tx(async (db) => {
    const t = await visibleTicket(db, actor, ticketId);
    await visibleArticle(db, actor, input.articleId);
    const byName = await nameOf(db, actor);
    const ok = await flow.insertTicketLink(db, {
      articleId: input.articleId,
      ticketId,
      role: 'related',
      by: actor.userId,
      byName,
    });
    if (!ok) throw Conflict(`the article is already linked to ${t.key}`, 'already_linked');
    await record(db, actor, 'kb.ticket_linked', { type: 'kb_article', id: input.articleId }, null, {
      ticketId,
      ticket: t.key,
    });
  });
}

/** Removes an article's link to a ticket (agents; 404 when there is none). */
export async function unlinkArticle(ctx: Ctx, actor: Actor, ticketId: string, articleId: string) {
  can(actor, 'kb:write');
  can(actor, 'ticket:work');
  await ctx.tx(async (db) => {
    const t = await visibleTicket(db, actor, ticketId);
    await visibleArticle(db, actor, articleId);
    if (!(await flow.deleteTicketLink(db, articleId, ticketId))) throw NotFound('link');
    await record(
      db,
      actor,
      'kb.ticket_unlinked',
      { type: 'kb_article', id: articleId },
      { ticket: t.key },
      null,
    );
  });
}

/**
 * Makes a draft article from a ticket and links it in `role`, one per ticket and role: the partial unique
 * index decides between two requests at once, and the loser is a 409 naming the article already made.
 */
async function draftFromTicket(
  ctx: Ctx,
  actor: Actor,
  t: Ticket,
  role: 'source' | 'known_error',
  text: { kind: 'how_to' | 'known_error'; title: string; body: string; workaround: string },
): Promise<string> {
  const taken = async (db: Db) => {
    const a = await flow.articleInRole(db, t.id, role);
    if (a)
      throw Conflict(
        `${t.key} already has ${role === 'source' ? 'its article' : 'its known error'}, ${articleKey(a.number)}`,
        role === 'source' ? 'article_exists' : 'known_error_exists',
      );
  };
  await taken(ctx.db);
  try {
    return await ctx.tx(async (db) => {
      const id = await insertDraftIn(db, actor, { ...text, audience: 'agents' }, null, actor.userId);
      const byName = await nameOf(db, actor);
      await flow.insertTicketLink(db, { articleId: id, ticketId: t.id, role, by: actor.userId, byName });
      await record(db, actor, 'kb.ticket_linked', { type: 'kb_article', id }, null, {
        ticketId: t.id,
        ticket: t.key,
        role,
      });
      return id;
    });
  } catch (e) {
    if (isUniqueViolation(e)) await taken(ctx.db);
    throw e;
  }
}

/** "Turn into article": a draft how-to from a resolved (or closed) ticket's title and its answer. */
export async function turnIntoArticle(ctx: Ctx, actor: Actor, ticketId: string): Promise<string> {
  can(actor, 'kb:write');
  can(actor, 'ticket:work');
  const t = await visibleTicket(ctx.db, actor, ticketId);
  if (t.status !== 'resolved' && t.status !== 'closed')
    throw Conflict(
      `${t.key} is ${t.status.replace('_', ' ')}: only a resolved ticket becomes an article`,
      'not_resolved',
    );
  const answer = (await lastPublicAnswer(ctx.db, t.id)) ?? '';
  const body = [
    '## Symptoms',
    '',
    t.description.trim() || t.title,
    '',
    '## Solution',
    '',
    answer.trim() || '(write the solution here)',
    '',
    `_Made from ${t.key}._`,
  ].join('\n');
  return draftFromTicket(ctx, actor, t, 'source', {
    kind: 'how_to',
    title: t.title,
    body: body.slice(0, 100_000),
    workaround: '',
  });
}

/** A problem's known error: a draft known-error article with its workaround, linked to the problem. */
export async function createKnownError(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  input: CreateKnownError,
): Promise<string> {
  can(actor, 'kb:write');
  can(actor, 'ticket:work');
  const t = await visibleTicket(ctx.db, actor, ticketId);
  if (t.type !== 'problem')
    throw Conflict(`${t.key} is not a problem: only problems keep a known error`, 'not_a_problem');
  return draftFromTicket(ctx, actor, t, 'known_error', {
    kind: 'known_error',
    title: input.title ?? t.title,
    body: [t.description.trim() || t.title, '', `_Known error of ${t.key}._`].join('\n').slice(0, 100_000),
    workaround: input.workaround ?? '',
  });
}
