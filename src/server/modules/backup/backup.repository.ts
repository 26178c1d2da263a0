/** All SQL of company backups: storage targets and the devices' repositories on them. */
import type { Selectable } from 'kysely';
import type { Db } from '../../platform/context.js';
import type { BackupRepositoriesTable, BackupTargetsTable } from '../../db/schema.js';

export type TargetRow = Selectable<BackupTargetsTable> & { repositories: number };
export type RepositoryRow = Selectable<BackupRepositoriesTable>;

function targets(db: Db) {
  return db
    .selectFrom('backup_targets as t')
    .selectAll('t')
    .select((eb) =>
      eb
        .selectFrom('backup_repositories as r')
        .whereRef('r.target_id', '=', 't.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('repositories'),
    );
}

/** Every target, by name. */
export async function listTargets(db: Db): Promise<TargetRow[]> {
  return (await targets(db).orderBy('t.name').execute()).map((r) => ({
    ...r,
    repositories: Number(r.repositories ?? 0),
  }));
}

/** One target (locked for update when `lock`). */
export async function findTarget(db: Db, id: string, lock = false): Promise<TargetRow | undefined> {
  let q = targets(db).where('t.id', '=', id);
  if (lock) q = q.forUpdate('t');
  const r = await q.executeTakeFirst();
  return r && { ...r, repositories: Number(r.repositories ?? 0) };
}

/** Stores a new target; its id comes from the caller, since sealed secrets are bound to it. */
export async function insertTarget(
  db: Db,
  t: { id: string; name: string; kind: TargetRow['kind']; location: string; secrets: string | null },
): Promise<void> {
  await db.insertInto('backup_targets').values(t).execute();
}

/** Updates a target at `version`; false when the version is stale. */
export async function updateTarget(
  db: Db,
  id: string,
  version: number,
  t: { name: string; kind: TargetRow['kind']; location: string; secrets: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('backup_targets')
    .set((eb) => ({ ...t, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Deletes a target that no repository uses; false when one does (the foreign key also refuses it). */
export async function deleteTarget(db: Db, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('backup_targets')
    .where('id', '=', id)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('backup_repositories').whereRef('target_id', '=', 'backup_targets.id').select('id'),
        ),
      ),
    )
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** A device's repository. */
export async function repositoryOf(db: Db, ciId: string): Promise<RepositoryRow | undefined> {
  return db.selectFrom('backup_repositories').selectAll().where('ci_id', '=', ciId).executeTakeFirst();
}

/**
 * Locks a repository's row until the transaction ends: a forget or prune takes it before it starts, a restore
 * claim takes it shared (restores.repository.ts), so the two never start at once.
 */
export async function lockRepository(db: Db, id: string): Promise<void> {
  await db.selectFrom('backup_repositories').select('id').where('id', '=', id).forUpdate().execute();
}

/** A device's repository and what opening it needs of its target, in one lookup (the endpoint's hot path). */
export async function repositoryWithTarget(db: Db, ciId: string) {
  return db
    .selectFrom('backup_repositories as r')
    .innerJoin('backup_targets as t', 't.id', 'r.target_id')
    .select(['r.id', 'r.folder', 't.id as target_id', 't.version', 't.secrets', 't.location'])
    .where('r.ci_id', '=', ciId)
    .executeTakeFirst();
}

/** Stores a device's repository; false when the device already has one (decided by the unique key). */
export async function insertRepository(
  db: Db,
  r: { id: string; ci_id: string; target_id: string; folder: string; password: string },
): Promise<boolean> {
  const res = await db
    .insertInto('backup_repositories')
    .values(r)
    .onConflict((oc) => oc.column('ci_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return res !== undefined;
}

/** Removes a device's repository record (when creating it on the target failed). */
export async function deleteRepository(db: Db, id: string): Promise<void> {
  await db.deleteFrom('backup_repositories').where('id', '=', id).execute();
}

/** The repositories on a target, or every one. */
export async function listRepositories(db: Db, targetId?: string): Promise<RepositoryRow[]> {
  let q = db.selectFrom('backup_repositories').selectAll().orderBy('created_at');
  if (targetId) q = q.where('target_id', '=', targetId);
  return q.execute();
}
