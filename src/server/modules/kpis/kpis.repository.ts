/** Targets and dashboards (this module's tables). */
import type { DashboardCard } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** Every admin-set target, by KPI. */
export async function targets(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('kpi_targets').select(['kpi', 'target']).execute();
  return new Map(rows.map((r) => [r.kpi, r.target]));
}

/** Sets a KPI's target (one statement: concurrent admins' last write wins); returns the row before, if any. */
export async function upsertTarget(db: Db, kpi: string, target: number, by: string | null) {
  const before = await db
    .selectFrom('kpi_targets')
    .select('target')
    .where('kpi', '=', kpi)
    .forUpdate()
    .executeTakeFirst();
  await db
    .insertInto('kpi_targets')
    .values({ kpi, target, updated_by: by })
    .onConflict((oc) =>
      oc.column('kpi').doUpdateSet((eb) => ({
        target,
        updated_by: by,
        updated_at: new Date(),
        version: eb('kpi_targets.version', '+', 1),
      })),
    )
    .execute();
  return before?.target ?? null;
}

/** A stored dashboard with its owner's name. */
export interface DashboardRow {
  id: string;
  owner_id: string;
  owner_name: string;
  name: string;
  shared: boolean;
  cards: DashboardCard[];
  version: number;
}

const dashboards = (db: Db) =>
  db
    .selectFrom('kpi_dashboards as d')
    .innerJoin('users as u', 'u.id', 'd.owner_id')
    .select(['d.id', 'd.owner_id', 'u.name as owner_name', 'd.name', 'd.shared', 'd.cards', 'd.version']);

/** The caller's own dashboards and every shared one, by name. */
export async function listDashboards(db: Db, userId: string): Promise<DashboardRow[]> {
  return (await dashboards(db)
    .where((eb) => eb.or([eb('d.owner_id', '=', userId), eb('d.shared', '=', true)]))
    .orderBy('d.name')
    .orderBy('d.id')
    .limit(500)
    .execute()) as DashboardRow[];
}

/** A dashboard the caller may see (their own or a shared one), else undefined. */
export async function findDashboard(db: Db, id: string, userId: string): Promise<DashboardRow | undefined> {
  return (await dashboards(db)
    .where('d.id', '=', id)
    .where((eb) => eb.or([eb('d.owner_id', '=', userId), eb('d.shared', '=', true)]))
    .executeTakeFirst()) as DashboardRow | undefined;
}

export async function insertDashboard(
  db: Db,
  v: { owner_id: string; name: string; shared: boolean; cards: DashboardCard[] },
): Promise<string> {
  const r = await db
    .insertInto('kpi_dashboards')
    .values({ ...v, cards: JSON.stringify(v.cards) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Updates a dashboard of `ownerId` at `version` (when given); false when none matched. */
export async function updateDashboard(
  db: Db,
  id: string,
  ownerId: string,
  version: number | undefined,
  v: { name: string; shared: boolean; cards: DashboardCard[] },
): Promise<boolean> {
  let q = db
    .updateTable('kpi_dashboards')
    .set((eb) => ({
      name: v.name,
      shared: v.shared,
      cards: JSON.stringify(v.cards),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('owner_id', '=', ownerId);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteDashboard(db: Db, id: string, ownerId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('kpi_dashboards')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
