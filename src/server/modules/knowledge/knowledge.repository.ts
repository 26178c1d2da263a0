/** SQL of articles and their versions: the knowledge module owns kb_articles and kb_versions. */
import { type Insertable, type RawBuilder, type Selectable, sql } from 'kysely';
import type { KbArticlesTable, KbVersionsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import { searchQuery } from '../../platform/text-search.js';

type Status = Selectable<KbArticlesTable>['status'];
/** An article row, dates as YYYY-MM-DD. */
export type ArticleRow = Omit<
  Selectable<KbArticlesTable>,
  'review_at' | 'valid_to' | 'review_reminded' | 'search'
> & {
  review_at: string | null;
  valid_to: string | null;
};
export type VersionRow = Selectable<KbVersionsTable>;
/** The metadata a save writes. */
export type ArticleValues = Pick<
  Insertable<KbArticlesTable>,
  'audience' | 'team_id' | 'category' | 'tags' | 'owner_id' | 'review_at' | 'valid_to'
>;

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

function articles(db: Db) {
  return db
    .selectFrom('kb_articles as a')
    .select([
      'a.id',
      'a.number',
      'a.kind',
      'a.status',
      'a.audience',
      'a.team_id',
      'a.category',
      'a.tags',
      'a.owner_id',
      'a.current_version',
      'a.published_version',
      'a.review_round',
      'a.version',
      'a.created_at',
      'a.updated_at',
      day('a.review_at').as('review_at'),
      day('a.valid_to').as('valid_to'),
    ]);
}

/** Stores a new article (version 1 of its text comes with it); returns its id. */
export async function insertArticle(
  db: Db,
  v: ArticleValues & { kind: ArticleRow['kind'] },
  text: Omit<Insertable<KbVersionsTable>, 'article_id' | 'version'>,
): Promise<string> {
  const { id } = await db
    .insertInto('kb_articles')
    .values({ ...v, number: sql<number>`nextval('kb_article_number')::int` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('kb_versions')
    .values({ ...text, article_id: id, version: 1 })
    .execute();
  return id;
}

/** One article, visible under `visible` (a condition over `a`); locked for update with `lock`. */
export async function findArticle(
  db: Db,
  id: string,
  visible: RawBuilder<boolean>,
  lock = false,
): Promise<ArticleRow | undefined> {
  let q = articles(db).where('a.id', '=', id).where(visible);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Saves metadata (and, with `text`, a new version) if the article is still at `version`; false when stale. */
export async function saveArticle(
  db: Db,
  id: string,
  version: number,
  v: Partial<ArticleValues> & { status?: Status },
  text?: Omit<Insertable<KbVersionsTable>, 'article_id' | 'version'>,
): Promise<boolean> {
  const r = await db
    .updateTable('kb_articles')
    .set({
      ...v,
      ...(text ? { current_version: sql`current_version + 1` } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('current_version')
    .executeTakeFirst();
  if (!r) return false;
  if (text)
    await db
      .insertInto('kb_versions')
      .values({ ...text, article_id: id, version: r.current_version })
      .execute();
  return true;
}

/** Moves an article to `status`, bumping its version; `publish` makes the newest version the one shown. */
export async function setStatus(
  db: Db,
  id: string,
  status: Status,
  opts: { publish?: boolean; round?: number } = {},
): Promise<void> {
  await db
    .updateTable('kb_articles as a')
    .set({
      status,
      ...(opts.round !== undefined ? { review_round: opts.round } : {}),
      ...(opts.publish
        ? {
            published_version: sql`current_version`,
            review_reminded: null,
            search: sql`(SELECT kb_document(v.title, v.body, v.workaround, a.tags) FROM kb_versions v
              WHERE v.article_id = a.id AND v.version = a.current_version)`,
          }
        : {}),
      ...(status === 'retired' ? { search: null } : {}),
      version: sql`a.version + 1`,
      updated_at: sql`now()`,
    })
    .where('a.id', '=', id)
    .execute();
}

/** Rebuilds the search document of a published article whose tags changed. */
export async function refreshSearch(db: Db, id: string): Promise<void> {
  await db
    .updateTable('kb_articles as a')
    .set({
      search: sql`(SELECT kb_document(v.title, v.body, v.workaround, a.tags) FROM kb_versions v
        WHERE v.article_id = a.id AND v.version = a.published_version)`,
    })
    .where('a.id', '=', id)
    .where('a.published_version', 'is not', null)
    .where('a.status', '<>', 'retired')
    .execute();
}

/** Versions of an article's text by number (all of them without `versions`). */
export async function versionsOf(db: Db, id: string, versions?: readonly number[]): Promise<VersionRow[]> {
  let q = db.selectFrom('kb_versions').selectAll().where('article_id', '=', id);
  if (versions) {
    if (versions.length === 0) return [];
    q = q.where('version', 'in', versions);
  }
  return q.orderBy('version', 'desc').execute();
}

/** The list filters. */
export interface ListFilter {
  q?: string | undefined;
  kind?: ArticleRow['kind'] | undefined;
  category?: string | undefined;
  tag?: string | undefined;
  status?: Status | undefined;
  key?: string | undefined;
  /** Only articles flagged for review (`true`) or not (`false`). */
  flagged?: 'true' | 'false' | undefined;
  /** Only articles this person owns. */
  ownerId?: string | null | undefined;
  /** `published`: only what readers see (and search only what is still valid); `working`: every article. */
  scope: 'published' | 'working';
}

/** A page of visible articles with the title readers (or authors) see, newest first, or best match first. */
export async function listArticles(
  db: Db,
  visible: RawBuilder<boolean>,
  f: ListFilter,
  after: number | undefined,
  limit: number,
) {
  const shown = f.scope === 'published' ? sql.ref('a.published_version') : sql.ref('a.current_version');
  let q = articles(db)
    .innerJoin('kb_versions as v', (j) =>
      j.onRef('v.article_id', '=', 'a.id').on(sql<boolean>`v.version = ${shown}`),
    )
    .select([
      'v.title',
      sql<boolean>`EXISTS (SELECT 1 FROM kb_review_flags f WHERE f.article_id = a.id)`.as('flagged'),
    ])
    .where(visible);
  if (f.scope === 'published') q = q.where(publishedNow());
  if (f.q) q = q.where(sql<boolean>`a.search @@ ${searchQuery(f.q)}`).where(stillValid());
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  if (f.category) q = q.where(sql<boolean>`lower(a.category) = lower(${f.category})`);
  if (f.tag) q = q.where(sql<boolean>`${f.tag} = ANY (a.tags)`);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.key) q = q.where('a.number', '=', Number(f.key.slice(3)));
  if (f.flagged)
    q = q.where(
      sql<boolean>`${sql.raw(f.flagged === 'true' ? '' : 'NOT')} EXISTS (SELECT 1 FROM kb_review_flags f WHERE f.article_id = a.id)`,
    );
  if (f.ownerId !== undefined) q = q.where('a.owner_id', '=', f.ownerId ?? sql<string>`NULL`);
  if (after !== undefined) q = q.where('a.number', '<', after);
  if (f.q && f.scope === 'published') q = q.orderBy(sql`ts_rank(a.search, ${searchQuery(f.q)})`, 'desc');
  return q.orderBy('a.number', 'desc').limit(limit).execute();
}

/** Readers see an article that has a published version and is not retired. */
export function publishedNow(): RawBuilder<boolean> {
  return sql<boolean>`(a.published_version IS NOT NULL AND a.status <> 'retired')`;
}

/** A "valid to" date in the past takes an article out of search. */
function stillValid(): RawBuilder<boolean> {
  return sql<boolean>`(a.valid_to IS NULL OR a.valid_to >= current_date)`;
}

/** Articles whose review date falls by `until`, not yet reminded of for that date (the owners' reminder). */
export async function reviewsDue(db: Db, until: string, limit: number) {
  return db
    .selectFrom('kb_articles')
    .select(['id', 'number', 'owner_id', day('review_at').as('review_at')])
    .where('review_at', '<=', sql<Date>`${until}::date`)
    .where('status', '<>', 'retired')
    .where((w) => w.or([w('review_reminded', 'is', null), w('review_reminded', '<>', w.ref('review_at'))]))
    .orderBy('review_at')
    .limit(limit)
    .execute();
}

/** Notes that the review date of an article was reminded of; false when someone else already did. */
export async function markReviewReminded(db: Db, id: string, reviewAt: string): Promise<boolean> {
  const r = await db
    .updateTable('kb_articles')
    .set({ review_reminded: sql`review_at` })
    .where('id', '=', id)
    .where('review_at', '=', sql<Date>`${reviewAt}::date`)
    .where((w) => w.or([w('review_reminded', 'is', null), w('review_reminded', '<>', w.ref('review_at'))]))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
