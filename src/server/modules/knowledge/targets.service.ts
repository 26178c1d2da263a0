/**
 * Articles that depend on CMDB items and changes: the links, the review flag set when one of them changes
 * (the CMDB and changes modules call {@link linkedChanged} through the hooks main.ts wires, inside their own
 * write's transaction), and the review that clears it.
 */
import type { LinkArticleTarget } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { changeNames } from '../changes/index.js';
import { itemNames } from '../cmdb/index.js';
import * as flow from './flow.repository.js';
import { nameOf, visibleArticle } from './knowledge.service.js';

/** What changed, for the hook: an item or a change, and what happened to it in words. */
export interface LinkedChange {
  type: 'item' | 'change';
  id: string;
  /** "was updated", "moved to implementing", "was deleted". */
  what: string;
}

/** The name of an item or change (404 when there is none). */
async function targetName(ctx: Ctx, db: Db, type: 'item' | 'change', id: string): Promise<string> {
  const name =
    type === 'item' ? (await itemNames({ ...ctx, db }, [id])).get(id) : (await changeNames(db, [id])).get(id);
  if (!name) throw Invalid(`no such ${type}`, [{ path: 'body.id', message: `not an existing ${type}` }]);
  return name;
}

/** Links an article to an item or a change (authors; 409 when linked already). */
export async function linkTarget(ctx: Ctx, actor: Actor, articleId: string, input: LinkArticleTarget) {
  can(actor, 'kb:write');
  await ctx.tx(async (db) => {
    await visibleArticle(db, actor, articleId);
    const name = await targetName(ctx, db, input.type, input.id);
    const ok = await flow.insertTargetLink(db, {
      articleId,
      type: input.type,
      targetId: input.id,
      byName: await nameOf(db, actor),
    });
    if (!ok) throw Conflict(`the article is already linked to ${name}`, 'already_linked');
    await record(db, actor, 'kb.target_linked', { type: 'kb_article', id: articleId }, null, {
      type: input.type,
      id: input.id,
      name,
    });
  });
}

/** Removes an item or change link (404 when there is none). */
export async function unlinkTarget(
  ctx: Ctx,
  actor: Actor,
  articleId: string,
  type: 'item' | 'change',
  targetId: string,
) {
  can(actor, 'kb:write');
  await ctx.tx(async (db) => {
    await visibleArticle(db, actor, articleId);
    if (!(await flow.deleteTargetLink(db, articleId, type, targetId))) throw NotFound('link');
    await record(
      db,
      actor,
      'kb.target_unlinked',
      { type: 'kb_article', id: articleId },
      { type, id: targetId },
      null,
    );
  });
}

/**
 * The hook: flags every article linked to the item or change for review, in the caller's transaction (so a
 * change that rolls back flags nothing). Audited as the system's doing, on behalf of `actor`.
 */
export async function linkedChanged(ctx: Ctx, db: Db, actor: Actor, c: LinkedChange): Promise<void> {
  const name = await (c.type === 'item' ? itemNames({ ...ctx, db }, [c.id]) : changeNames(db, [c.id])).then(
    (m) => m.get(c.id) ?? `a ${c.type}`,
  );
  const reason = `${name} ${c.what}`.slice(0, 500);
  const flagged = await flow.flagArticlesOf(db, c.type, c.id, reason);
  for (const id of flagged)
    await record(db, actor, 'kb.flagged', { type: 'kb_article', id }, null, { reason });
}

/** The owner (or another author) has reviewed the article against its items and changes: the flag goes. */
export async function markReviewed(ctx: Ctx, actor: Actor, articleId: string): Promise<void> {
  can(actor, 'kb:write');
  await ctx.tx(async (db) => {
    await visibleArticle(db, actor, articleId, true);
    const reason = await flow.clearFlag(db, articleId);
    if (reason === undefined) throw Conflict('the article is not flagged for review', 'not_flagged');
    await record(db, actor, 'kb.reviewed', { type: 'kb_article', id: articleId }, { reason }, null);
  });
}
