/** SQL of backup policies and their assignments. */
import type { Insertable, Selectable } from 'kysely';
import type { BackupPoliciesTable, BackupPolicyAssignmentsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';

export type PolicyRow = Selectable<BackupPoliciesTable>;
export type AssignmentRow = Selectable<BackupPolicyAssignmentsTable>;
export type PolicyValues = Omit<
  Insertable<BackupPoliciesTable>,
  'id' | 'created_at' | 'updated_at' | 'version'
>;

/** Every policy, by name. */
export async function listPolicies(db: Db): Promise<PolicyRow[]> {
  return db.selectFrom('backup_policies').selectAll().orderBy('name').execute();
}

/** One policy (locked for update when `lock`). */
export async function findPolicy(db: Db, id: string, lock = false): Promise<PolicyRow | undefined> {
  let q = db.selectFrom('backup_policies').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Stores a new policy and returns its id. */
export async function insertPolicy(db: Db, v: PolicyValues): Promise<string> {
  return (await db.insertInto('backup_policies').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

/** Updates a policy at `version`; false when stale. */
export async function updatePolicy(db: Db, id: string, version: number, v: PolicyValues): Promise<boolean> {
  const r = await db
    .updateTable('backup_policies')
    .set((eb) => ({ ...v, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Deletes a policy (its assignments go with it). */
export async function deletePolicy(db: Db, id: string): Promise<void> {
  await db.deleteFrom('backup_policies').where('id', '=', id).execute();
}

/** Every assignment (of one policy, or all). */
export async function assignments(db: Db, policyId?: string): Promise<AssignmentRow[]> {
  let q = db.selectFrom('backup_policy_assignments').selectAll().orderBy('created_at');
  if (policyId) q = q.where('policy_id', '=', policyId);
  return q.execute();
}

/**
 * Assigns a policy to a scope, replacing whatever policy that scope had (one statement, so two admins
 * assigning at once leave exactly one). Returns the policy it replaced, if another.
 */
export async function assign(
  db: Db,
  policyId: string,
  scope: AssignmentRow['scope'],
  ref: string,
): Promise<{ id: string; replaced: string | null }> {
  const before = await db
    .selectFrom('backup_policy_assignments')
    .select('policy_id')
    .where('scope', '=', scope)
    .where('ref', '=', ref)
    .forUpdate()
    .executeTakeFirst();
  const row = await db
    .insertInto('backup_policy_assignments')
    .values({ policy_id: policyId, scope, ref })
    .onConflict((oc) =>
      oc.columns(['scope', 'ref']).doUpdateSet({ policy_id: policyId, created_at: new Date() }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, replaced: before && before.policy_id !== policyId ? before.policy_id : null };
}

/** Removes one assignment of a policy; false when it has no such assignment. */
export async function unassign(db: Db, policyId: string, id: string): Promise<AssignmentRow | undefined> {
  return db
    .deleteFrom('backup_policy_assignments')
    .where('id', '=', id)
    .where('policy_id', '=', policyId)
    .returningAll()
    .executeTakeFirst();
}
