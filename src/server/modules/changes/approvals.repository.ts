/** SQL of approval delegations and of the one-time approval links e-mailed to approvers. */
import type { Insertable, Selectable } from 'kysely';
import type { ChangeApprovalLinksTable, ChangeDelegationsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type DelegationRow = Selectable<ChangeDelegationsTable>;

/** The approvers among `voters` whose delegation to `delegateId` covers `now`, oldest delegation first. */
export async function principalsOf(db: Db, delegateId: string, voters: readonly string[], now: Date) {
  if (voters.length === 0) return [];
  const rows = await db
    .selectFrom('change_delegations')
    .select('user_id')
    .where('delegate_id', '=', delegateId)
    .where('user_id', 'in', voters)
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .orderBy('created_at')
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

/** Delegations not over at `now`: all, or those `userId` gave or received. */
export async function listDelegations(db: Db, now: Date, userId?: string): Promise<DelegationRow[]> {
  let q = db.selectFrom('change_delegations').selectAll().where('ends_at', '>', now);
  if (userId) q = q.where((eb) => eb.or([eb('user_id', '=', userId), eb('delegate_id', '=', userId)]));
  return q.orderBy('starts_at').orderBy('id').limit(500).execute();
}

export async function insertDelegation(
  db: Db,
  v: Insertable<ChangeDelegationsTable>,
): Promise<DelegationRow> {
  return db.insertInto('change_delegations').values(v).returningAll().executeTakeFirstOrThrow();
}

export async function findDelegation(db: Db, id: string): Promise<DelegationRow | undefined> {
  return db.selectFrom('change_delegations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function deleteDelegation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('change_delegations').where('id', '=', id).execute();
}

export async function insertLink(db: Db, v: Insertable<ChangeApprovalLinksTable>): Promise<void> {
  await db.insertInto('change_approval_links').values(v).execute();
}

/** A link by its hash, unused and not expired at `now` (locked with `lock`). */
export async function liveLink(db: Db, tokenHash: string, now: Date, lock = false) {
  let q = db
    .selectFrom('change_approval_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function useLink(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db
    .updateTable('change_approval_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .execute();
}
