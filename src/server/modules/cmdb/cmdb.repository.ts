import { sql } from 'kysely';
import type { CiField, CiKind } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';

/** A class row. */
export interface ClassRow {
  key: string;
  name: string;
  kind: CiKind;
  builtin: boolean;
  fields: CiField[];
  version: number;
}

/** An item row. */
export interface CiRow {
  id: string;
  class_key: string;
  asset_tag: string | null;
  name: string;
  serial: string | null;
  model: string | null;
  manufacturer: string | null;
  status: 'ordered' | 'in_stock' | 'deployed' | 'in_repair' | 'retired' | 'disposed';
  owner_id: string | null;
  team_id: string | null;
  location_id: string | null;
  purchase_date: string | null;
  cost: string | null;
  warranty_end: string | null;
  notes: string;
  custom: Record<string, string | number | boolean | null>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const CI_COLS = sql`c.id, c.class_key, c.asset_tag, c.name, c.serial, c.model, c.manufacturer, c.status, c.owner_id,
  c.team_id, c.location_id, to_char(c.purchase_date, 'YYYY-MM-DD') AS purchase_date, c.cost::text AS cost,
  to_char(c.warranty_end, 'YYYY-MM-DD') AS warranty_end, c.notes, c.custom, c.version, c.created_at, c.updated_at`;

/** Every class, by name. */
export async function classes(db: Db): Promise<ClassRow[]> {
  return (
    await sql<ClassRow>`SELECT key, name, kind, builtin, fields, version FROM ci_classes ORDER BY lower(name)`.execute(
      db,
    )
  ).rows;
}

/** One class. */
export async function classOf(db: Db, key: string, lock = false): Promise<ClassRow | undefined> {
  return (
    await sql<ClassRow>`SELECT key, name, kind, builtin, fields, version FROM ci_classes WHERE key = ${key}
      ${lock ? sql`FOR UPDATE` : sql``}`.execute(db)
  ).rows[0];
}

/** Inserts a class. */
export async function insertClass(db: Db, c: { key: string; name: string; kind: string; fields: CiField[] }) {
  return (
    await sql<ClassRow>`INSERT INTO ci_classes (key, name, kind, fields)
      VALUES (${c.key}, ${c.name}, ${c.kind}, ${JSON.stringify(c.fields)}::jsonb)
      RETURNING key, name, kind, builtin, fields, version`.execute(db)
  ).rows[0]!;
}

/** Writes a class at `version`; undefined when stale. */
export async function updateClass(
  db: Db,
  key: string,
  version: number,
  c: { name: string; fields: CiField[] },
) {
  return (
    await sql<ClassRow>`UPDATE ci_classes SET name = ${c.name}, fields = ${JSON.stringify(c.fields)}::jsonb,
      version = version + 1, updated_at = now() WHERE key = ${key} AND version = ${version}
      RETURNING key, name, kind, builtin, fields, version`.execute(db)
  ).rows[0];
}

/** How many items a class has. */
export async function countOfClass(db: Db, key: string): Promise<number> {
  return Number(
    (await sql<{ n: string }>`SELECT count(*)::text AS n FROM cis WHERE class_key = ${key}`.execute(db))
      .rows[0]!.n,
  );
}

/** Deletes a class without items. */
export async function deleteClass(db: Db, key: string): Promise<void> {
  await sql`DELETE FROM ci_classes WHERE key = ${key}`.execute(db);
}

/** The stored columns of an item (snake case), as written. */
export interface CiFields {
  asset_tag: string | null;
  name: string;
  serial: string | null;
  model: string | null;
  manufacturer: string | null;
  status: string;
  owner_id: string | null;
  team_id: string | null;
  location_id: string | null;
  purchase_date: string | null;
  cost: string | null;
  warranty_end: string | null;
  notes: string;
  custom: Record<string, unknown>;
}

const values = (
  f: CiFields,
) => sql`${f.asset_tag}, ${f.name}, ${f.serial}, ${f.model}, ${f.manufacturer}, ${f.status},
  ${f.owner_id}::uuid, ${f.team_id}::uuid, ${f.location_id}::uuid, ${f.purchase_date}::date, ${f.cost}::numeric,
  ${f.warranty_end}::date, ${f.notes}, ${JSON.stringify(f.custom)}::jsonb`;

/** Inserts an item. */
export async function insertCi(db: Db, classKey: string, f: CiFields): Promise<CiRow> {
  const r = await sql<{
    id: string;
  }>`INSERT INTO cis (class_key, asset_tag, name, serial, model, manufacturer,
      status, owner_id, team_id, location_id, purchase_date, cost, warranty_end, notes, custom)
    VALUES (${classKey}, ${values(f)}) RETURNING id`.execute(db);
  return (await findCi(db, r.rows[0]!.id))!;
}

/** Writes an item at `version`; undefined when stale. */
export async function updateCi(db: Db, id: string, version: number, f: CiFields): Promise<CiRow | undefined> {
  const r = await sql<{
    id: string;
  }>`UPDATE cis SET (asset_tag, name, serial, model, manufacturer, status, owner_id,
      team_id, location_id, purchase_date, cost, warranty_end, notes, custom) = (${values(f)}),
      version = version + 1, updated_at = now()
    WHERE id = ${id} AND version = ${version} RETURNING id`.execute(db);
  return r.rows[0] ? findCi(db, id) : undefined;
}

/** One item. */
export async function findCi(db: Db, id: string, lock = false): Promise<CiRow | undefined> {
  return (
    await sql<CiRow>`SELECT ${CI_COLS} FROM cis c WHERE c.id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`.execute(
      db,
    )
  ).rows[0];
}

/** Deletes an item (its relationships and ticket links go with it). */
export async function deleteCi(db: Db, id: string): Promise<void> {
  await sql`DELETE FROM cis WHERE id = ${id}`.execute(db);
}

/** Whether other items point at this one as their location. */
export async function locatedHere(db: Db, id: string): Promise<number> {
  return Number(
    (await sql<{ n: string }>`SELECT count(*)::text AS n FROM cis WHERE location_id = ${id}`.execute(db))
      .rows[0]!.n,
  );
}

/** List filters. */
export interface CiFilter {
  classKey?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
  teamId?: string | undefined;
  ownerId?: string | undefined;
  locationId?: string | undefined;
  warrantyBefore?: string | undefined;
  q?: string | undefined;
  installations?: 'include' | 'exclude' | undefined;
}

/** A page of items by name (then id), after the keyset position `after` = [lower(name), id]. */
export async function page(db: Db, f: CiFilter, after: [string, string] | undefined, limit: number) {
  const w = [sql`true`];
  if (f.classKey) w.push(sql`c.class_key = ${f.classKey}`);
  if (f.kind) w.push(sql`c.class_key IN (SELECT key FROM ci_classes WHERE kind = ${f.kind})`);
  if (f.status) w.push(sql`c.status = ${f.status}`);
  if (f.teamId) w.push(sql`c.team_id = ${f.teamId}`);
  if (f.ownerId) w.push(sql`c.owner_id = ${f.ownerId}`);
  if (f.locationId) w.push(sql`c.location_id = ${f.locationId}`);
  if (f.warrantyBefore) w.push(sql`c.warranty_end < ${f.warrantyBefore}::date`);
  // Software installations out of the list (the inventory's default): the first test matches the partial
  // index of migration 0049, the second covers custom classes of the same kind.
  if (f.installations === 'exclude') {
    w.push(sql`c.class_key <> 'software_installation'`);
    w.push(sql`c.class_key NOT IN (SELECT key FROM ci_classes WHERE kind = 'software_installation')`);
  }
  // A search of three or more characters first finds its matches on the indexes (trigram for any part of a
  // name, the asset tag and serial indexes for exact ones) and only then sorts them: left to itself the planner
  // walked every item in name order, filtering (0.2–0.6 s at 300,000 items for a term that matches a few).
  // Shorter terms have no trigram to look up, and match widely: those stay a filter on the name-order walk.
  let matches = sql``;
  let join = sql``;
  if (f.q) {
    const q = f.q.toLowerCase();
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    if (q.length >= 3) {
      matches = sql`WITH m AS MATERIALIZED (
          SELECT id FROM cis WHERE lower(name) LIKE ${like}
          UNION SELECT id FROM cis WHERE asset_tag IS NOT NULL AND lower(asset_tag) = ${q}
          UNION SELECT id FROM cis WHERE serial IS NOT NULL AND lower(serial) = ${q}) `;
      join = sql` JOIN m ON m.id = c.id`;
    } else {
      w.push(sql`(lower(c.name) LIKE ${like} OR lower(c.asset_tag) = ${q} OR lower(c.serial) = ${q})`);
    }
  }
  if (after) w.push(sql`(lower(c.name), c.id) > (${after[0]}, ${after[1]}::uuid)`);
  return (
    await sql<CiRow>`${matches}SELECT ${CI_COLS} FROM cis c${join} WHERE ${sql.join(w, sql` AND `)}
      ORDER BY lower(c.name), c.id LIMIT ${limit}`.execute(db)
  ).rows;
}

/** Items owned by a user (for the portal's ticket form), by name. */
export async function ownedBy(db: Db, userId: string): Promise<CiRow[]> {
  return (
    await sql<CiRow>`SELECT ${CI_COLS} FROM cis c WHERE c.owner_id = ${userId}
      AND c.status NOT IN ('retired', 'disposed') ORDER BY lower(c.name), c.id LIMIT 200`.execute(db)
  ).rows;
}

/** Whether a user / team exists (references checked before a write). */
export async function exists(db: Db, table: 'users' | 'teams', id: string): Promise<boolean> {
  const t = sql.table(table);
  return (await sql`SELECT 1 FROM ${t} WHERE id = ${id}`.execute(db)).rows.length > 0;
}

/** A relationship with the item at its other end. */
export interface RelationshipRow {
  id: string;
  from_id: string;
  type: string;
  to_id: string;
  created_at: Date;
  other_id: string;
  other_name: string;
  other_class: string;
}

/** The relationships of an item, both directions. */
export async function relationshipsOf(
  db: Db,
  id: string,
  after: readonly [type: string, name: string, id: string] | undefined,
  limit: number,
): Promise<RelationshipRow[]> {
  return (
    await sql<RelationshipRow>`SELECT r.id, r.from_id, r.type, r.to_id, r.created_at,
        o.id AS other_id, o.name AS other_name, o.class_key AS other_class
      FROM ci_relationships r JOIN cis o ON o.id = CASE WHEN r.from_id = ${id} THEN r.to_id ELSE r.from_id END
      WHERE (r.from_id = ${id} OR r.to_id = ${id})
        ${after ? sql`AND (r.type, lower(o.name), r.id) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)` : sql``}
      ORDER BY r.type, lower(o.name), r.id LIMIT ${limit}`.execute(db)
  ).rows;
}

/** Inserts a relationship; undefined when it exists already. */
export async function insertRelationship(db: Db, fromId: string, type: string, toId: string) {
  return (
    await sql<{ id: string; created_at: Date }>`INSERT INTO ci_relationships (from_id, type, to_id)
      VALUES (${fromId}, ${type}, ${toId}) ON CONFLICT DO NOTHING RETURNING id, created_at`.execute(db)
  ).rows[0];
}

/** One relationship touching an item. */
export async function relationship(db: Db, ciId: string, relId: string) {
  return (
    await sql<{ id: string; from_id: string; type: string; to_id: string }>`SELECT id, from_id, type, to_id
      FROM ci_relationships WHERE id = ${relId} AND (from_id = ${ciId} OR to_id = ${ciId})`.execute(db)
  ).rows[0];
}

/** Deletes a relationship. */
export async function deleteRelationship(db: Db, relId: string): Promise<void> {
  await sql`DELETE FROM ci_relationships WHERE id = ${relId}`.execute(db);
}

/**
 * The relationships one step from `frontier`: into it (`dependents`) or out of it (`dependencies`), at most
 * `limit`. A step can span thousands of items and edges, so both travel as one text value each way (ids joined
 * by commas in, `from type to` triples joined by spaces out): decoding thousands of rows and array elements one
 * by one cost the server more than the query itself.
 */
export async function edgesAt(
  db: Db,
  frontier: readonly string[],
  direction: 'dependents' | 'dependencies',
  limit: number,
): Promise<{ from_id: string; type: string; to_id: string }[]> {
  const ids = sql`unnest(string_to_array(${frontier.join(',')}, ',')::uuid[]) AS f(id)`;
  const packed = (
    await sql<{
      e: string | null;
    }>`SELECT string_agg(from_id::text || ' ' || type || ' ' || to_id::text, ' ') AS e
      FROM (SELECT r.from_id, r.type, r.to_id FROM ${ids} JOIN ci_relationships r
        ON ${direction === 'dependents' ? sql`r.to_id = f.id` : sql`r.from_id = f.id`}
        LIMIT ${limit}) r`.execute(db)
  ).rows[0]?.e;
  if (!packed) return [];
  const parts = packed.split(' ');
  const out: { from_id: string; type: string; to_id: string }[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    out.push({ from_id: parts[i]!, type: parts[i + 1]!, to_id: parts[i + 2]! });
  }
  return out;
}

/** An item's name, class and status. */
export interface CiSummary {
  id: string;
  name: string;
  class_key: string;
  status: CiRow['status'];
}

/**
 * Name, class and status of items, from `cis_summary_idx` alone. The ids go in as one text value and are joined
 * from `unnest` (an index lookup each): `id = ANY(…)` over thousands of ids was planned as a scan.
 */
export async function summaries(db: Db, ids: readonly string[]): Promise<CiSummary[]> {
  if (ids.length === 0) return [];
  return (
    await sql<CiSummary>`SELECT c.id, c.name, c.class_key, c.status
      FROM unnest(string_to_array(${ids.join(',')}, ',')::uuid[]) AS u(id) JOIN cis c ON c.id = u.id`.execute(
      db,
    )
  ).rows;
}

/** The kinds of two items' classes. */
export async function kindsOf(db: Db, ids: readonly string[]): Promise<Map<string, CiKind>> {
  const r = await sql<{
    id: string;
    kind: CiKind;
  }>`SELECT c.id, k.kind FROM cis c JOIN ci_classes k ON k.key = c.class_key
    WHERE c.id = ANY(${[...ids]}::uuid[])`.execute(db);
  return new Map(r.rows.map((x) => [x.id, x.kind]));
}

/** The items a ticket is about. */
export async function itemsOfTicket(db: Db, ticketId: string) {
  return (
    await sql<{
      id: string;
      name: string;
      class_key: string;
      status: CiRow['status'];
      asset_tag: string | null;
    }>`
      SELECT c.id, c.name, c.class_key, c.status, c.asset_tag FROM ticket_cis tc JOIN cis c ON c.id = tc.ci_id
      WHERE tc.ticket_id = ${ticketId} ORDER BY lower(c.name), c.id`.execute(db)
  ).rows;
}

/** Links a ticket to an item; false when it was linked already. */
export async function linkTicket(db: Db, ticketId: string, ciId: string): Promise<boolean> {
  const r = await sql`INSERT INTO ticket_cis (ticket_id, ci_id) VALUES (${ticketId}, ${ciId})
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Unlinks a ticket from an item; false when they were not linked. */
export async function unlinkTicket(db: Db, ticketId: string, ciId: string): Promise<boolean> {
  const r = await sql`DELETE FROM ticket_cis WHERE ticket_id = ${ticketId} AND ci_id = ${ciId}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Whether a ticket is linked to one of `ciIds` (routing rules' asset conditions). */
export async function ticketLinksAny(db: Db, ticketId: string, ciIds: readonly string[]): Promise<boolean> {
  const r =
    await sql`SELECT 1 FROM ticket_cis WHERE ticket_id = ${ticketId} AND ci_id = ANY(${[...ciIds]}::uuid[])
    LIMIT 1`.execute(db);
  return r.rows.length > 0;
}

/** Live licences (not retired or disposed) with their product, version range and seats. */
export async function licences(db: Db) {
  return (
    await sql<{
      id: string;
      name: string;
      product: string | null;
      versions: string | null;
      seats: string | null;
    }>`
      SELECT c.id, c.name, c.custom->>'product' AS product, c.custom->>'versions' AS versions,
        c.custom->>'seats' AS seats
      FROM cis c JOIN ci_classes k ON k.key = c.class_key
      WHERE k.kind = 'licence' AND c.status NOT IN ('retired', 'disposed')
      ORDER BY lower(c.name), c.id`.execute(db)
  ).rows;
}

/** Live software installations counted by product (lower case) and version. */
export async function installationCounts(db: Db) {
  return (
    await sql<{ product: string; version: string | null; n: string }>`
      SELECT lower(c.custom->>'product') AS product, c.custom->>'version' AS version, count(*)::text AS n
      FROM cis c JOIN ci_classes k ON k.key = c.class_key
      WHERE k.kind = 'software_installation' AND c.status NOT IN ('retired', 'disposed')
        AND c.custom->>'product' IS NOT NULL
      GROUP BY 1, 2`.execute(db)
  ).rows;
}

/**
 * Items whose warranty ends, or whose contract (a contract-kind item's `ends` field) ends, between `from` and
 * `to`, not yet reminded of for that date, with the people to tell: the owner and the team's members.
 */
export async function expiringUnreminded(db: Db, from: string, to: string, limit: number) {
  return (
    await sql<{ id: string; name: string; kind: 'warranty' | 'contract'; due: string; people: string[] }>`
      WITH due AS (
        SELECT c.id, c.name, 'warranty' AS kind, c.warranty_end AS due, c.owner_id, c.team_id FROM cis c
        WHERE c.warranty_end BETWEEN ${from}::date AND ${to}::date AND c.status NOT IN ('retired', 'disposed')
        UNION ALL
        SELECT c.id, c.name, 'contract', (c.custom->>'ends')::date, c.owner_id, c.team_id
        FROM cis c JOIN ci_classes k ON k.key = c.class_key
        WHERE k.kind = 'contract' AND c.custom->>'ends' ~ '^\\d{4}-\\d{2}-\\d{2}$'
          AND (c.custom->>'ends')::date BETWEEN ${from}::date AND ${to}::date
          AND c.status NOT IN ('retired', 'disposed')
      )
      SELECT d.id, d.name, d.kind, to_char(d.due, 'YYYY-MM-DD') AS due,
        ARRAY(SELECT d.owner_id WHERE d.owner_id IS NOT NULL
              UNION SELECT tm.user_id FROM team_members tm WHERE tm.team_id = d.team_id)::text[] AS people
      FROM due d
      WHERE NOT EXISTS (SELECT 1 FROM ci_reminders r WHERE r.ci_id = d.id AND r.kind = d.kind AND r.due = d.due)
      ORDER BY d.due, d.id LIMIT ${limit}`.execute(db)
  ).rows;
}

/** Records a reminder; false when another runner recorded it first. */
export async function markReminded(db: Db, ciId: string, kind: string, due: string): Promise<boolean> {
  const r = await sql`INSERT INTO ci_reminders (ci_id, kind, due) VALUES (${ciId}, ${kind}, ${due}::date)
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Active admins (reminded of items nobody owns). */
export async function adminIds(db: Db): Promise<string[]> {
  return (
    await sql<{ id: string }>`SELECT id FROM users WHERE role = 'admin' AND active`.execute(db)
  ).rows.map((r) => r.id);
}

/** An item by asset tag (case-insensitive). */
export async function findByTag(db: Db, tag: string): Promise<CiRow | undefined> {
  return (
    await sql<CiRow>`SELECT ${CI_COLS} FROM cis c WHERE lower(c.asset_tag) = ${tag.toLowerCase()}`.execute(db)
  ).rows[0];
}

/** What references look like in a CSV export: user e-mails, team names, location asset tags, by id. */
export async function referenceNames(db: Db) {
  const users = await sql<{ id: string; v: string }>`SELECT id, email AS v FROM users`.execute(db);
  const teams = await sql<{ id: string; v: string }>`SELECT id, name AS v FROM teams`.execute(db);
  const tags = await sql<{ id: string; v: string }>`SELECT c.id, c.asset_tag AS v FROM cis c
    JOIN ci_classes k ON k.key = c.class_key WHERE k.kind = 'location' AND c.asset_tag IS NOT NULL`.execute(
    db,
  );
  const map = (rows: { id: string; v: string }[]) => new Map(rows.map((r) => [r.id, r.v]));
  return { users: map(users.rows), teams: map(teams.rows), tags: map(tags.rows) };
}

/** The reverse, for an import: ids by lower-cased e-mail, team name and location asset tag. */
export async function referenceIds(db: Db) {
  const n = await referenceNames(db);
  const flip = (m: Map<string, string>) => new Map([...m].map(([id, v]) => [v.toLowerCase(), id]));
  return { users: flip(n.users), teams: flip(n.teams), tags: flip(n.tags) };
}

/** The computer an installation is installed on, if any. */
export async function installedOn(db: Db, installationId: string): Promise<string | undefined> {
  return (
    await sql<{ to_id: string }>`SELECT to_id FROM ci_relationships
      WHERE from_id = ${installationId} AND type = 'installed_on' LIMIT 1`.execute(db)
  ).rows[0]?.to_id;
}
