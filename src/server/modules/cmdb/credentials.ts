/**
 * Credential items, for the vault (modules/vault), which keeps their secrets: reads only; the items themselves
 * stay the CMDB's.
 */
import type { Db } from '../../platform/context.js';

/** A credential item: one of a class of kind `credential`. */
export interface CredentialItem {
  id: string;
  name: string;
  /** The item's `system` field (what the credential opens), when it has one. */
  system: string | null;
  ownerId: string | null;
  teamId: string | null;
}

/** The credential items among `ids` (items of other kinds, and missing ones, are left out). */
export async function credentialItems(db: Db, ids: readonly string[]): Promise<Map<string, CredentialItem>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('cis as c')
    .innerJoin('ci_classes as k', 'k.key', 'c.class_key')
    .where('c.id', 'in', ids)
    .where('k.kind', '=', 'credential')
    .select(['c.id', 'c.name', 'c.custom', 'c.owner_id', 'c.team_id'])
    .execute();
  return new Map(
    rows.map((r) => {
      const system = (r.custom as Record<string, unknown> | null)?.system;
      return [
        r.id,
        {
          id: r.id,
          name: r.name,
          system: typeof system === 'string' ? system : null,
          ownerId: r.owner_id,
          teamId: r.team_id,
        },
      ];
    }),
  );
}

/** One credential item, or undefined when `id` is no credential item. */
export async function credentialItem(db: Db, id: string): Promise<CredentialItem | undefined> {
  return (await credentialItems(db, [id])).get(id);
}

/** The names (lower-cased) of the credential items of class `classKey`, for imports to skip what exists. */
export async function credentialNames(db: Db, classKey: string): Promise<Set<string>> {
  const rows = await db.selectFrom('cis').where('class_key', '=', classKey).select('name').execute();
  return new Set(rows.map((r) => r.name.toLowerCase()));
}

/** Whether `classKey` is a class of kind credential. */
export async function isCredentialClass(db: Db, classKey: string): Promise<boolean> {
  const r = await db
    .selectFrom('ci_classes')
    .where('key', '=', classKey)
    .where('kind', '=', 'credential')
    .select('key')
    .executeTakeFirst();
  return r !== undefined;
}
