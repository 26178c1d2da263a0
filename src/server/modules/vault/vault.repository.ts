/** The vault's tables (vault_entries, vault_versions, vault_shares, vault_reveals): all their SQL. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** A vault entry's row. */
export interface EntryRow {
  ci_id: string;
  username: string | null;
  current_version: number;
  rotation_days: number | null;
  rotation_due: string | null;
  rotate_after_reveal: boolean;
  version: number;
}

const ENTRY_COLS = [
  'ci_id',
  'username',
  'current_version',
  'rotation_days',
  sql<string | null>`to_char(rotation_due, 'YYYY-MM-DD')`.as('rotation_due'),
  'rotate_after_reveal',
  'version',
] as const;

/** One entry; `lock` holds its row until the transaction ends (rotations of one credential queue up). */
export async function findEntry(db: Db, ciId: string, lock = false): Promise<EntryRow | undefined> {
  let q = db.selectFrom('vault_entries').select(ENTRY_COLS).where('ci_id', '=', ciId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Makes the entry of a credential item unless it exists. */
export async function ensureEntry(db: Db, ciId: string): Promise<void> {
  await db
    .insertInto('vault_entries')
    .values({ ci_id: ciId })
    .onConflict((oc) => oc.column('ci_id').doNothing())
    .execute();
}

/** Appends version `version` (the caller holds the entry's lock) and makes it current. */
export async function addVersion(
  db: Db,
  v: {
    ciId: string;
    version: number;
    sealed: string;
    reason: string;
    by: string | null;
    label: string;
    username: string | null;
    rotationDue: string | null;
  },
): Promise<void> {
  await db
    .insertInto('vault_versions')
    .values({
      ci_id: v.ciId,
      version: v.version,
      sealed: v.sealed,
      reason: v.reason,
      created_by: v.by,
      created_label: v.label,
    })
    .execute();
  await db
    .updateTable('vault_entries')
    .set({
      current_version: v.version,
      username: v.username,
      rotation_due: v.rotationDue,
      reminded_for: null,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('ci_id', '=', v.ciId)
    .execute();
}

/** The sealed value of one version. */
export async function sealedVersion(db: Db, ciId: string, version: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('vault_versions')
    .select('sealed')
    .where('ci_id', '=', ciId)
    .where('version', '=', version)
    .executeTakeFirst();
  return r?.sealed;
}

/** Every version's facts (never the sealed value), newest first. */
export async function versions(db: Db, ciId: string) {
  return db
    .selectFrom('vault_versions')
    .select(['version', 'reason', 'created_by', 'created_label', 'created_at'])
    .where('ci_id', '=', ciId)
    .orderBy('version', 'desc')
    .execute();
}

/** Changes rotation settings. */
export async function setRotation(
  db: Db,
  ciId: string,
  s: { rotationDays: number | null; rotationDue: string | null; rotateAfterReveal: boolean },
): Promise<void> {
  await db
    .updateTable('vault_entries')
    .set({
      rotation_days: s.rotationDays,
      rotation_due: s.rotationDue,
      rotate_after_reveal: s.rotateAfterReveal,
      reminded_for: null,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('ci_id', '=', ciId)
    .execute();
}

/** Makes the rotation due by `day` at the latest (rotate after reveal). */
export async function dueBy(db: Db, ciId: string, day: string): Promise<void> {
  await db
    .updateTable('vault_entries')
    .set({
      rotation_due: sql`least(coalesce(rotation_due, ${day}::date), ${day}::date)`,
      version: sql`version + 1`,
    })
    .where('ci_id', '=', ciId)
    .execute();
}

/** A share row. */
export interface ShareRow {
  user_id: string | null;
  team_id: string | null;
  level: 'reveal' | 'manage';
}

/** Who a credential is shared with. */
export async function shares(db: Db, ciId: string): Promise<ShareRow[]> {
  return db
    .selectFrom('vault_shares')
    .select(['user_id', 'team_id', 'level'])
    .where('ci_id', '=', ciId)
    .orderBy('created_at')
    .execute();
}

/** Replaces who a credential is shared with. */
export async function replaceShares(db: Db, ciId: string, rows: readonly ShareRow[]): Promise<void> {
  await db.deleteFrom('vault_shares').where('ci_id', '=', ciId).execute();
  if (rows.length > 0)
    await db
      .insertInto('vault_shares')
      .values(rows.map((r) => ({ ci_id: ciId, ...r })))
      .execute();
}

/** The best level a person (or their teams) holds on each credential shared with them. */
export async function levelsOf(
  db: Db,
  userId: string,
  teamIds: readonly string[],
  ciIds?: readonly string[],
): Promise<Map<string, 'reveal' | 'manage'>> {
  let q = db
    .selectFrom('vault_shares')
    .select(['ci_id', 'level'])
    .where((eb) =>
      teamIds.length > 0
        ? eb.or([eb('user_id', '=', userId), eb('team_id', 'in', teamIds)])
        : eb('user_id', '=', userId),
    );
  if (ciIds) q = q.where('ci_id', 'in', ciIds.length > 0 ? ciIds : ['00000000-0000-0000-0000-000000000000']);
  const out = new Map<string, 'reveal' | 'manage'>();
  for (const r of await q.execute()) {
    if (out.get(r.ci_id) !== 'manage') out.set(r.ci_id, r.level);
  }
  return out;
}

/** The entries of `ciIds`. */
export async function entries(db: Db, ciIds: readonly string[]): Promise<EntryRow[]> {
  if (ciIds.length === 0) return [];
  return db.selectFrom('vault_entries').select(ENTRY_COLS).where('ci_id', 'in', ciIds).execute();
}

/** Notes a reveal. */
export async function addReveal(
  db: Db,
  r: { ciId: string; version: number; userId: string | null; label: string; reason: string },
): Promise<void> {
  await db
    .insertInto('vault_reveals')
    .values({ ci_id: r.ciId, version: r.version, user_id: r.userId, actor_label: r.label, reason: r.reason })
    .execute();
}

/** The latest reveals of a credential. */
export async function reveals(db: Db, ciId: string, limit: number) {
  return db
    .selectFrom('vault_reveals')
    .select(['user_id', 'actor_label', 'reason', 'version', 'at'])
    .where('ci_id', '=', ciId)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
}

/** Entries whose rotation is due by `until` and not yet reminded of for that date. */
export async function rotationsDue(db: Db, until: string, limit: number) {
  return db
    .selectFrom('vault_entries')
    .select(['ci_id', sql<string>`to_char(rotation_due, 'YYYY-MM-DD')`.as('due')])
    .where('rotation_due', '<=', sql<Date>`${until}::date`)
    .where((eb) => eb.or([eb('reminded_for', 'is', null), eb('reminded_for', '<>', eb.ref('rotation_due'))]))
    .orderBy('rotation_due')
    .limit(limit)
    .execute();
}

/** Marks the reminder for `due` sent; false when another runner did it first. */
export async function markReminded(db: Db, ciId: string, due: string): Promise<boolean> {
  const r = await db
    .updateTable('vault_entries')
    .set({ reminded_for: sql`${due}::date` })
    .where('ci_id', '=', ciId)
    .where('rotation_due', '=', sql<Date>`${due}::date`)
    .where((eb) => eb.or([eb('reminded_for', 'is', null), eb('reminded_for', '<>', eb.ref('rotation_due'))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every share of every credential (for access reviews). */
export async function allShares(db: Db) {
  return db
    .selectFrom('vault_shares')
    .select(['ci_id', 'user_id', 'team_id', 'level'])
    .orderBy('ci_id')
    .orderBy('created_at')
    .execute();
}

/** Removes one person's or team's share of a credential; false when there was none. */
export async function removeShare(
  db: Db,
  ciId: string,
  holder: { userId: string } | { teamId: string },
): Promise<boolean> {
  let q = db.deleteFrom('vault_shares').where('ci_id', '=', ciId);
  q = 'userId' in holder ? q.where('user_id', '=', holder.userId) : q.where('team_id', '=', holder.teamId);
  return Number((await q.executeTakeFirst()).numDeletedRows) > 0;
}
