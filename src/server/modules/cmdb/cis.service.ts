import {
  type AuditEntry,
  type Ci,
  type CiQuery,
  type CreateCi,
  type SoftwareQuery,
  defaultCiStatus,
  type UpdateCi,
} from '../../../contracts/index.js';
import { entityHistory, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale, type FieldError } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import * as repo from './cmdb.repository.js';
import { mentioning, narrowTo, SOFTWARE_CHANGED } from './installations.js';
import { customProblems } from './rules.js';
import { softwarePage } from './software.repository.js';
import { rangeProblem } from './versions.js';

/** An item for the API. */
export function ciView(r: repo.CiRow): Ci {
  return {
    id: r.id,
    classKey: r.class_key,
    assetTag: r.asset_tag,
    name: r.name,
    serial: r.serial,
    model: r.model,
    manufacturer: r.manufacturer,
    status: r.status,
    ownerId: r.owner_id,
    teamId: r.team_id,
    locationId: r.location_id,
    purchaseDate: r.purchase_date,
    cost: r.cost,
    warrantyEnd: r.warranty_end,
    notes: r.notes,
    custom: r.custom,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const tagTaken = () =>
  Conflict('another item has this asset tag', 'asset_tag_taken', [
    { path: 'body.assetTag', message: 'in use' },
  ]);

/** Checks an item's fields and references; 400 naming every bad field (also used by the CSV import). */
export async function check(
  db: Db,
  classKey: string,
  f: repo.CiFields,
  selfId: string | null,
): Promise<void> {
  const cls = await repo.classOf(db, classKey);
  if (!cls) throw Invalid('unknown class', [{ path: 'body.classKey', message: 'no such class' }]);
  const errors: FieldError[] = customProblems(
    cls.fields,
    f.custom as Record<string, string | number | boolean | null>,
  ).map((p) => ({ path: `body.custom.${p.key}`, message: p.message }));
  const range = f.custom.versions;
  if (cls.kind === 'licence' && typeof range === 'string' && range !== '') {
    const problem = rangeProblem(range);
    if (problem) errors.push({ path: 'body.custom.versions', message: problem });
  }
  if (f.owner_id && !(await repo.exists(db, 'users', f.owner_id)))
    errors.push({ path: 'body.ownerId', message: 'no such user' });
  if (f.team_id && !(await repo.exists(db, 'teams', f.team_id)))
    errors.push({ path: 'body.teamId', message: 'no such team' });
  if (f.location_id) {
    const loc = f.location_id === selfId ? undefined : await repo.findCi(db, f.location_id);
    const kind = loc ? (await repo.kindsOf(db, [loc.id])).get(loc.id) : undefined;
    if (kind !== 'location')
      errors.push({ path: 'body.locationId', message: 'must be an item of a location class' });
  }
  if (errors.length > 0) throw Invalid('the item has invalid fields', errors);
}

/** An item's stored fields from an API (or CSV) input, over `base` for a change. */
export function fieldsOf(input: CreateCi | UpdateCi, base?: repo.CiRow): repo.CiFields {
  const pick = <T>(v: T | undefined, b: T): T => (v === undefined ? b : v);
  return {
    asset_tag: pick(input.assetTag, base?.asset_tag ?? null),
    name: pick(input.name, base?.name ?? ''),
    serial: pick(input.serial, base?.serial ?? null),
    model: pick(input.model, base?.model ?? null),
    manufacturer: pick(input.manufacturer, base?.manufacturer ?? null),
    status: pick(input.status, base?.status ?? 'in_stock'),
    owner_id: pick(input.ownerId, base?.owner_id ?? null),
    team_id: pick(input.teamId, base?.team_id ?? null),
    location_id: pick(input.locationId, base?.location_id ?? null),
    purchase_date: pick(input.purchaseDate, base?.purchase_date ?? null),
    cost: pick(input.cost, base?.cost ?? null),
    warranty_end: pick(input.warrantyEnd, base?.warranty_end ?? null),
    notes: pick(input.notes, base?.notes ?? ''),
    custom: pick(input.custom, base?.custom ?? {}),
  };
}

/** Lists items by name with filters and a name / asset tag / serial search. */
export async function listCis(ctx: Ctx, actor: Actor, q: CiQuery) {
  canCmdb(actor, 'ci:read');
  const after = decodeCursor(q.cursor, BY_NAME);
  const rows = await repo.page(ctx.db, q, after, q.limit + 1);
  return pageFrom(rows, q.limit, ciView, (r) => [r.name.toLowerCase(), r.id]);
}

/** The caller's own items (everyone, requesters included: the portal offers them on its ticket form). */
export async function myCis(ctx: Ctx, actor: Actor): Promise<Ci[]> {
  if (!actor.userId) return [];
  return (await repo.ownedBy(ctx.db, actor.userId)).map(ciView);
}

/** One item. */
export async function getCi(ctx: Ctx, actor: Actor, id: string): Promise<Ci> {
  canCmdb(actor, 'ci:read');
  const r = await repo.findCi(ctx.db, id);
  if (!r) throw NotFound('item');
  return ciView(r);
}

/** Creates an item. */
export async function createCi(ctx: Ctx, actor: Actor, input: CreateCi): Promise<Ci> {
  canCmdb(actor, 'ci:write');
  const given = fieldsOf(input);
  try {
    return await ctx.tx(async (db) => {
      // without a status, the class's kind decides: a business service is not "in stock"
      const kind = (await repo.classOf(db, input.classKey))?.kind;
      const f = input.status === undefined ? { ...given, status: defaultCiStatus(kind) } : given;
      await check(db, input.classKey, f, null);
      const v = ciView(await repo.insertCi(db, input.classKey, f));
      await record(db, actor, 'ci.created', { type: 'ci', id: v.id }, null, { ...v });
      return v;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw tagTaken();
    throw e;
  }
}

/** What other modules hear of an item a person changed, inside the write ("was edited", "was deleted"). */
export type ItemChanged = (db: Db, actor: Actor, id: string, what: string) => Promise<void>;

/** Changes an item at `version` (412 when stale); every change is in its history. */
export async function updateCi(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateCi,
  changed?: ItemChanged,
): Promise<Ci> {
  canCmdb(actor, 'ci:write');
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.findCi(db, id, true);
      if (!current) throw NotFound('item');
      const f = fieldsOf(input, current);
      await check(db, current.class_key, f, id);
      const row = await repo.updateCi(db, id, version, f);
      if (!row) throw Stale();
      const [before, after] = [ciView(current), ciView(row)];
      await record(db, actor, 'ci.updated', { type: 'ci', id }, { ...before }, { ...after });
      await changed?.(db, actor, id, 'was edited');
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw tagTaken();
    throw e;
  }
}

/**
 * Deletes an item that has reached the end of its life (retired or disposed) and is nobody's location;
 * anything else is a 409: retire it first, so that deleting is a deliberate last step.
 */
export async function deleteCi(ctx: Ctx, actor: Actor, id: string, changed?: ItemChanged): Promise<void> {
  canCmdb(actor, 'ci:write');
  await ctx.tx(async (db) => {
    const current = await repo.findCi(db, id, true);
    if (!current) throw NotFound('item');
    if (current.status !== 'retired' && current.status !== 'disposed') {
      throw Conflict('only a retired or disposed item can be deleted', 'ci_in_use');
    }
    if ((await repo.locatedHere(db, id)) > 0) throw Conflict('other items are located here', 'ci_in_use');
    // told before the row goes, so that the item is still named
    await changed?.(db, actor, id, 'was deleted');
    await repo.deleteCi(db, id);
    await record(db, actor, 'ci.deleted', { type: 'ci', id }, { ...ciView(current) }, null);
  });
}

/**
 * An item's history: its audit entries, newest first (agents may read it, unlike the whole trail). A software
 * installation's history also holds its computer's discovery entries that name it, narrowed to that part
 * (their id, seq and hash are those of the whole entry in the audit trail).
 */
export async function ciHistory(
  ctx: Ctx,
  actor: Actor,
  id: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  canCmdb(actor, 'ci:read');
  const item = await repo.findCi(ctx.db, id);
  if (!item) throw NotFound('item');
  const computerId =
    item.class_key === 'software_installation' ? await repo.installedOn(ctx.db, id) : undefined;
  const page = await entityHistory(
    ctx,
    { type: 'ci', id },
    q,
    computerId ? { entityId: computerId, action: SOFTWARE_CHANGED, contains: mentioning(id) } : undefined,
  );
  return { ...page, items: page.items.map((e) => narrowTo(e, id)) };
}

/** A computer's software, a page at a time and searchable (404 for an unknown item). */
export async function listSoftware(ctx: Ctx, actor: Actor, id: string, q: SoftwareQuery) {
  canCmdb(actor, 'ci:read');
  if (!(await repo.findCi(ctx.db, id))) throw NotFound('item');
  const after = decodeCursor(q.cursor, BY_NAME);
  const rows = await softwarePage(ctx.db, id, q.q, after, q.limit + 1);
  return pageFrom(rows, q.limit, ciView, (r) => [r.name.toLowerCase(), r.id]);
}
