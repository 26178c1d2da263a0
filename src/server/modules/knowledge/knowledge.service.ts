/** Writing, reading, listing and searching articles; their versions and the diff between two. */
import {
  type Article,
  type ArticleDiff,
  type ArticleFilters,
  type ArticleSummary,
  type ArticleVersionInfo,
  CreateArticle,
  UpdateArticle,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { allows, type Actor, can } from '../../platform/permissions.js';
import { existingTeamIds } from '../teams/index.js';
import { userNames } from '../users/index.js';
import { lineDiff } from './diff.js';
import * as repo from './knowledge.repository.js';
import { articleView, summaryOf } from './view.js';
import { visibleTo } from './visibility.js';

/** A person's name for the record (their label when they have none). */
export async function nameOf(db: Db, actor: Actor): Promise<string> {
  const u = actor.userId ? (await userNames(db, [actor.userId])).get(actor.userId) : undefined;
  return u?.name ?? actor.label;
}

/** Checks that the team and the owner a save names exist (400 naming the field). */
async function checkRefs(db: Db, teamId: string | null, ownerId: string | null): Promise<void> {
  const errors = [];
  if (teamId && !(await existingTeamIds(db, [teamId])).has(teamId))
    errors.push({ path: 'teamId', message: 'no such team' });
  if (ownerId && !(await userNames(db, [ownerId])).get(ownerId)?.active)
    errors.push({ path: 'ownerId', message: 'not an active user' });
  if (errors.length) throw Invalid('the article names something that does not exist', errors);
}

/** One visible article (404 otherwise), as a row. */
export async function visibleArticle(db: Db, actor: Actor, id: string, lock = false) {
  can(actor, 'kb:read');
  const r = await repo.findArticle(db, id, visibleTo(actor), lock);
  if (!r) throw NotFound('article');
  return r;
}

/**
 * Stores a new draft (version 1) in the caller's transaction and audits it; returns its id. The team and
 * owner are checked already.
 */
export async function insertDraftIn(
  db: Db,
  actor: Actor,
  input: CreateArticleInput,
  teamId: string | null,
  ownerId: string | null,
): Promise<string> {
  const author = await nameOf(db, actor);
  const values = {
    audience: input.audience,
    team_id: teamId,
    category: input.category ?? '',
    tags: [...new Set(input.tags ?? [])],
    owner_id: ownerId,
    review_at: input.reviewAt ?? null,
    valid_to: input.validTo ?? null,
  };
  const text = { title: input.title, body: input.body, workaround: input.workaround ?? '' };
  const id = await repo.insertArticle(
    db,
    { ...values, kind: input.kind },
    { ...text, author_id: actor.userId, author_name: author, note: 'created' },
  );
  await record(db, actor, 'kb.created', { type: 'kb_article', id }, null, {
    kind: input.kind,
    ...values,
    ...text,
  });
  return id;
}

type CreateArticleInput = ReturnType<typeof CreateArticle.parse>;

/** The knowledge service, for the routes and the global search. */
export function knowledgeService(ctx: Ctx) {
  const get = async (actor: Actor, id: string): Promise<Article> =>
    articleView(ctx, actor, await visibleArticle(ctx.db, actor, id));
  return {
    get,
    async list(
      actor: Actor,
      q: ArticleFilters,
    ): Promise<{ items: ArticleSummary[]; nextCursor: string | null }> {
      can(actor, 'kb:read');
      if (q.scope === 'working' || q.status || q.flagged || q.owner) can(actor, 'kb:write');
      const after = decodeCursor(q.cursor, ['integer']);
      // a ranked search is one page of the best matches: a cursor over a rank would not be stable
      const ranked = q.q !== undefined && q.scope === 'published';
      if (ranked && after)
        throw Invalid('a search is one page', [{ path: 'query.cursor', message: 'not with q' }]);
      const filter = { ...q, ownerId: q.owner === 'me' ? actor.userId : undefined };
      const rows = await repo.listArticles(ctx.db, visibleTo(actor), filter, after?.[0], q.limit + 1);
      // the review flag is the authors' business
      const author = allows(actor, 'kb:write');
      const summary = (r: (typeof rows)[number]) => summaryOf({ ...r, flagged: author && r.flagged });
      return ranked
        ? { items: rows.slice(0, q.limit).map(summary), nextCursor: null }
        : pageFrom(rows, q.limit, summary, (r) => [r.number]);
    },
    async create(actor: Actor, raw: CreateArticle): Promise<Article> {
      can(actor, 'kb:write');
      const input = CreateArticle.parse(raw);
      const teamId = input.audience === 'team' ? (input.teamId ?? null) : null;
      const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
      await checkRefs(ctx.db, teamId, ownerId);
      const id = await ctx.tx((db) => insertDraftIn(db, actor, input, teamId, ownerId));
      return get(actor, id);
    },
    /**
     * Saves an article at `version` (412 when stale). New text is a new version: an approved or published
     * article goes back to draft while readers keep the published version; one in review or retired is 409.
     */
    async update(actor: Actor, id: string, version: number, raw: UpdateArticle): Promise<Article> {
      can(actor, 'kb:write');
      const p = UpdateArticle.parse(raw);
      const cur = await visibleArticle(ctx.db, actor, id);
      const audience = p.audience ?? cur.audience;
      const teamId = audience === 'team' ? (p.teamId ?? cur.team_id) : null;
      if (audience === 'team' && !teamId)
        throw Invalid('the team audience names a team', [{ path: 'teamId', message: 'required' }]);
      const ownerId = p.ownerId === undefined ? cur.owner_id : p.ownerId;
      await checkRefs(ctx.db, teamId, ownerId);
      await ctx.tx(async (db) => {
        const r = await visibleArticle(db, actor, id, true);
        if (r.version !== version) throw Stale();
        if (r.status === 'in_review' || r.status === 'retired')
          throw Conflict(`an article ${r.status.replace('_', ' ')} cannot be edited`, 'not_editable');
        const [now] = await repo.versionsOf(db, id, [r.current_version]);
        const text = {
          title: p.title ?? now!.title,
          body: p.body ?? now!.body,
          workaround: p.workaround ?? now!.workaround,
        };
        const changed =
          text.title !== now!.title || text.body !== now!.body || text.workaround !== now!.workaround;
        const values = {
          audience,
          team_id: teamId,
          category: p.category ?? r.category,
          tags: p.tags ? [...new Set(p.tags)] : r.tags,
          owner_id: ownerId,
          review_at: p.reviewAt === undefined ? r.review_at : p.reviewAt,
          valid_to: p.validTo === undefined ? r.valid_to : p.validTo,
        };
        const saved = await repo.saveArticle(
          db,
          id,
          version,
          { ...values, ...(changed && r.status !== 'draft' ? { status: 'draft' as const } : {}) },
          changed
            ? { ...text, author_id: actor.userId, author_name: await nameOf(db, actor), note: p.note ?? '' }
            : undefined,
        );
        if (!saved) throw Stale();
        if (r.status === 'published' && !changed) await repo.refreshSearch(db, id);
        await record(
          db,
          actor,
          'kb.updated',
          { type: 'kb_article', id },
          { ...rowValues(r), ...now },
          { ...values, ...text, ...(changed ? { version: r.current_version + 1 } : {}) },
        );
      });
      return get(actor, id);
    },
    /** Every version of an article's text, newest first (authors). */
    async versions(actor: Actor, id: string): Promise<ArticleVersionInfo[]> {
      can(actor, 'kb:write');
      const r = await visibleArticle(ctx.db, actor, id);
      return (await repo.versionsOf(ctx.db, id)).map((v) => ({
        version: v.version,
        title: v.title,
        note: v.note,
        author: v.author_name,
        at: v.created_at.toISOString(),
        published: v.version === r.published_version && r.status !== 'retired',
      }));
    },
    /** The line diff from one version to another (authors; 404 for a version that does not exist). */
    async diff(actor: Actor, id: string, from: number, to: number): Promise<ArticleDiff> {
      can(actor, 'kb:write');
      await visibleArticle(ctx.db, actor, id);
      const texts = await repo.versionsOf(ctx.db, id, [...new Set([from, to])]);
      const a = texts.find((t) => t.version === from);
      const b = texts.find((t) => t.version === to);
      if (!a || !b) throw NotFound('version');
      const lines = (t: repo.VersionRow) => [
        `# ${t.title}`,
        ...t.body.split(/\r?\n/),
        ...(t.workaround ? ['', '## Workaround', ...t.workaround.split(/\r?\n/)] : []),
      ];
      return { from, to, lines: lineDiff(lines(a), lines(b)) };
    },
  };
}

const rowValues = (r: repo.ArticleRow) => ({
  audience: r.audience,
  team_id: r.team_id,
  category: r.category,
  tags: r.tags,
  owner_id: r.owner_id,
  review_at: r.review_at,
  valid_to: r.valid_to,
});

export type KnowledgeService = ReturnType<typeof knowledgeService>;
