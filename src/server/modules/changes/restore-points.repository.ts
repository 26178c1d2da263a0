/** SQL of a change's restore points (the snapshots themselves are the backups module's) and its waiver. */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';

/** A change's restore points, one per backed-up item. */
export async function pointsOf(db: Db, changeId: string) {
  return db
    .selectFrom('change_restore_points')
    .selectAll()
    .where('change_id', '=', changeId)
    .orderBy('created_at')
    .execute();
}

/** Records (or replaces, after a failure) the snapshot request of an item's restore point. */
export async function putPoint(db: Db, changeId: string, ciId: string, requestId: string): Promise<void> {
  await db
    .insertInto('change_restore_points')
    .values({ change_id: changeId, ci_id: ciId, request_id: requestId })
    .onConflict((oc) =>
      oc
        .columns(['change_id', 'ci_id'])
        .doUpdateSet({ request_id: requestId, restore_id: null, created_at: sql`now()` }),
    )
    .execute();
}

/** Notes the restore asked for from a restore point. */
export async function setRestore(db: Db, changeId: string, ciId: string, restoreId: string): Promise<void> {
  await db
    .updateTable('change_restore_points')
    .set({ restore_id: restoreId })
    .where('change_id', '=', changeId)
    .where('ci_id', '=', ciId)
    .execute();
}

/** Records why the change is implemented without a restore point, and who decided it. */
export async function waive(db: Db, changeId: string, reason: string, by: string): Promise<void> {
  await db
    .updateTable('changes')
    .set({ restore_point_waiver: reason, waived_by: by })
    .where('id', '=', changeId)
    .execute();
}
