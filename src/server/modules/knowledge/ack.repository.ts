/** SQL of policy acknowledgement: campaigns and the acknowledgements given. */
import { type Selectable, sql } from 'kysely';
import type { KbCampaignsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

/** A campaign, dates as YYYY-MM-DD. */
export type CampaignRow = Omit<Selectable<KbCampaignsTable>, 'due_on' | 'reminded_on'> & {
  due_on: string | null;
};

const campaigns = (db: Db) =>
  db
    .selectFrom('kb_campaigns as c')
    .select([
      'c.article_id',
      'c.target',
      'c.role',
      'c.team_id',
      'c.version',
      'c.started_by',
      'c.started_at',
      sql<string | null>`to_char(c.due_on, 'YYYY-MM-DD')`.as('due_on'),
    ]);

export async function findCampaign(db: Db, articleId: string): Promise<CampaignRow | undefined> {
  return campaigns(db).where('c.article_id', '=', articleId).executeTakeFirst();
}

/** Starts (or replaces) an article's campaign. */
export async function putCampaign(db: Db, c: Omit<CampaignRow, 'started_at'>): Promise<void> {
  const { article_id, ...rest } = c;
  await db
    .insertInto('kb_campaigns')
    .values({ ...c, reminded_on: null })
    .onConflict((oc) =>
      oc.column('article_id').doUpdateSet({ ...rest, reminded_on: null, started_at: sql`now()` }),
    )
    .execute();
  void article_id;
}

/** Moves a campaign to the newly published version (everyone acknowledges again). */
export async function moveCampaign(db: Db, articleId: string, version: number): Promise<void> {
  await db
    .updateTable('kb_campaigns')
    .set({ version, reminded_on: null })
    .where('article_id', '=', articleId)
    .execute();
}

export async function endCampaign(db: Db, articleId: string): Promise<boolean> {
  const r = await db.deleteFrom('kb_campaigns').where('article_id', '=', articleId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Stores an acknowledgement; false when already given (the primary key decides). */
export async function acknowledge(db: Db, articleId: string, version: number, userId: string) {
  const r = await db
    .insertInto('kb_acknowledgements')
    .values({ article_id: articleId, version, user_id: userId })
    .onConflict((oc) => oc.columns(['article_id', 'version', 'user_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Who acknowledged a version, and when. */
export async function acknowledgements(db: Db, articleId: string, version: number) {
  const rows = await db
    .selectFrom('kb_acknowledgements')
    .select(['user_id', 'created_at'])
    .where('article_id', '=', articleId)
    .where('version', '=', version)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.created_at]));
}

/** Campaigns of articles still published, for the caller's list and the reminders. */
export async function liveCampaigns(db: Db): Promise<(CampaignRow & { number: number; title: string })[]> {
  return campaigns(db)
    .innerJoin('kb_articles as a', 'a.id', 'c.article_id')
    .innerJoin('kb_versions as v', (j) =>
      j.onRef('v.article_id', '=', 'a.id').onRef('v.version', '=', 'c.version'),
    )
    .select(['a.number', 'v.title'])
    .where('a.status', '<>', 'retired')
    .where('a.published_version', 'is not', null)
    .orderBy('a.number')
    .limit(1000)
    .execute();
}

/** Notes that a campaign's reminders went out today; false when they already had. */
export async function markReminded(db: Db, articleId: string): Promise<boolean> {
  const r = await db
    .updateTable('kb_campaigns')
    .set({ reminded_on: sql`current_date` })
    .where('article_id', '=', articleId)
    .where((w) => w.or([w('reminded_on', 'is', null), w('reminded_on', '<', sql<Date>`current_date`)]))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
