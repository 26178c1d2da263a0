/**
 * CSV import and export of items. Export writes the filtered list; import upserts by asset tag (rows without
 * one create items) in one transaction: every row is checked as an API write would be, and when any row fails
 * nothing is written and every failing row is reported (line, column, message). A dry run does the whole
 * import and rolls it back, so its preview is exactly what a real import would do.
 */
import type { CiQuery, CreateCi, CsvImportResult } from '../../../contracts/index.js';
import { CreateCi as CreateCiSchema, defaultCiStatus } from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Invalid } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import { check, ciView, fieldsOf } from './cis.service.js';
import * as repo from './cmdb.repository.js';
import { CsvError, csvRow, decodeCsv, parseCsv } from '../../platform/csv.js';

/** The columns, in export order; an import needs `class` and `name`, the others are optional. */
export const CSV_COLUMNS = [
  'class',
  'asset_tag',
  'name',
  'serial',
  'model',
  'manufacturer',
  'status',
  'owner_email',
  'team',
  'location_tag',
  'purchase_date',
  'cost',
  'warranty_end',
  'notes',
  'custom',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** Most rows one import takes. */
const MAX_ROWS = 50_000;

/** The filtered items as CSV (header first), at most 100,000 rows. */
export async function exportCsv(
  ctx: Ctx,
  actor: Actor,
  q: Omit<CiQuery, 'cursor' | 'limit'>,
): Promise<string> {
  canCmdb(actor, 'ci:read');
  const names = await repo.referenceNames(ctx.db);
  let out = csvRow(CSV_COLUMNS);
  let after: [string, string] | undefined;
  for (let n = 0; n < 100_000;) {
    const rows = await repo.page(ctx.db, q, after, 1000);
    for (const r of rows) {
      out += csvRow([
        r.class_key,
        r.asset_tag,
        r.name,
        r.serial,
        r.model,
        r.manufacturer,
        r.status,
        r.owner_id ? names.users.get(r.owner_id) : '',
        r.team_id ? names.teams.get(r.team_id) : '',
        r.location_id ? names.tags.get(r.location_id) : '',
        r.purchase_date,
        r.cost,
        r.warranty_end,
        r.notes,
        Object.keys(r.custom).length > 0 ? JSON.stringify(r.custom) : '',
      ]);
    }
    n += rows.length;
    if (rows.length < 1000) break;
    const last = rows.at(-1)!;
    after = [last.name.toLowerCase(), last.id];
  }
  return out;
}

/** A value read from a cell: a spreadsheet-safe leading apostrophe (see csvField) is taken off. */
const cell = (v: string | undefined): string | undefined =>
  v === undefined ? undefined : v.replace(/^'(?=[=+\-@])/, '');

/** Imports items from a CSV file's bytes (UTF-8; see the module comment); `dryRun` rolls everything back. */
export async function importCsv(
  ctx: Ctx,
  actor: Actor,
  bytes: Uint8Array,
  dryRun: boolean,
): Promise<CsvImportResult> {
  canCmdb(actor, 'ci:write');
  let rows: { line: number; fields: string[] }[];
  try {
    rows = parseCsv(decodeCsv(bytes));
  } catch (e) {
    if (e instanceof CsvError)
      throw Invalid('the file is not valid CSV', [{ path: `line ${e.line}`, message: e.message }]);
    throw e;
  }
  const [header, ...data] = rows;
  if (!header) throw Invalid('the file is empty', [{ path: 'line 1', message: 'a header row is needed' }]);
  const cols = header.fields.map((h) => h.trim().toLowerCase());
  const unknown = cols.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  const missing = (['class', 'name'] as const).filter((c) => !cols.includes(c));
  if (unknown.length > 0 || missing.length > 0 || new Set(cols).size !== cols.length) {
    throw Invalid('the header row is not right', [
      ...unknown.map((c) => ({ path: 'line 1', message: `unknown column: ${c}` })),
      ...missing.map((c) => ({ path: 'line 1', message: `missing column: ${c}` })),
      ...(new Set(cols).size !== cols.length ? [{ path: 'line 1', message: 'a column appears twice' }] : []),
    ]);
  }
  if (data.length > MAX_ROWS) throw Invalid(`at most ${MAX_ROWS} rows per import`);
  const result: CsvImportResult = { dryRun, created: 0, updated: 0, unchanged: 0, rows: [], errors: [] };
  const rollback = new Error('dry run');
  try {
    await ctx.tx(async (db) => {
      const names = await repo.referenceIds(db);
      const seen = new Set<string>();
      for (const row of data) {
        const get = (c: Column) => {
          const i = cols.indexOf(c);
          return i < 0 ? undefined : cell(row.fields[i]);
        };
        const fail = (column: string, message: string) =>
          result.errors.push({ line: row.line, column, message });
        if (row.fields.length !== cols.length) {
          fail('', `${row.fields.length} fields, the header has ${cols.length}`);
          continue;
        }
        // Every problem of a row is reported, not just the first: a row with any problem is checked on, never written.
        const before = result.errors.length;
        const tag = get('asset_tag')?.trim() || null;
        if (tag) {
          if (seen.has(tag.toLowerCase())) fail('asset_tag', 'appears on an earlier row of the file');
          seen.add(tag.toLowerCase());
        }
        await importRow(db, actor, { line: row.line, before }, get, tag, names, result, fail);
      }
      if (result.errors.length > 0 || dryRun) throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  if (result.errors.length > 0 && !dryRun) {
    throw Invalid(
      `${result.errors.length} row problem(s): nothing was imported`,
      result.errors
        .slice(0, 200)
        .map((x) => ({ path: `line ${x.line}${x.column ? ` ${x.column}` : ''}`, message: x.message })),
    );
  }
  return result;
}

const COLUMN_OF: Record<string, string> = {
  'body.classKey': 'class',
  'body.assetTag': 'asset_tag',
  'body.ownerId': 'owner_email',
  'body.teamId': 'team',
  'body.locationId': 'location_tag',
  'body.purchaseDate': 'purchase_date',
  'body.warrantyEnd': 'warranty_end',
};

async function importRow(
  db: Db,
  actor: Actor,
  { line, before }: { line: number; before: number },
  get: (c: Column) => string | undefined,
  tag: string | null,
  names: Awaited<ReturnType<typeof repo.referenceIds>>,
  result: CsvImportResult,
  fail: (column: string, message: string) => void,
): Promise<void> {
  const opt = (c: Column) => {
    const v = get(c)?.trim();
    return v === undefined ? undefined : v === '' ? null : v;
  };
  let custom: unknown;
  const rawCustom = opt('custom');
  if (rawCustom) {
    try {
      custom = JSON.parse(rawCustom);
    } catch {
      fail('custom', 'not JSON (an object of field: value)');
    }
  }
  const ref = (c: Column, map: Map<string, string>, what: string): string | null | undefined => {
    const v = opt(c);
    if (v === undefined || v === null) return v;
    const id = map.get(v.toLowerCase());
    if (!id) fail(c, `no such ${what}: ${v}`);
    return id ?? null;
  };
  const input = {
    classKey: opt('class') ?? '',
    assetTag: tag,
    name: get('name') ?? '',
    serial: opt('serial'),
    model: opt('model'),
    manufacturer: opt('manufacturer'),
    status: opt('status') ?? undefined,
    ownerId: ref('owner_email', names.users, 'user'),
    teamId: ref('team', names.teams, 'team'),
    locationId: ref('location_tag', names.tags, 'item with this asset tag'),
    purchaseDate: opt('purchase_date'),
    cost: opt('cost'),
    warrantyEnd: opt('warranty_end'),
    notes: get('notes'),
    custom,
  };
  const failed = () => result.errors.length > before;
  const parsed = CreateCiSchema.safeParse(
    Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      fail(COLUMN_OF[`body.${String(i.path[0])}`] ?? String(i.path[0] ?? ''), i.message);
    return;
  }
  const body: CreateCi = parsed.data;
  const existing = tag ? await repo.findByTag(db, tag) : undefined;
  try {
    if (existing) {
      if (existing.class_key !== body.classKey)
        return fail('class', `the item ${tag} is a ${existing.class_key}`);
      const f = fieldsOf(body, existing);
      await check(db, existing.class_key, f, existing.id);
      if (failed()) return;
      const same =
        canonicalJson(ciView({ ...existing, ...f } as repo.CiRow)) === canonicalJson(ciView(existing));
      if (same) {
        result.unchanged++;
        result.rows.push({ line, action: 'unchanged', assetTag: tag, name: existing.name });
        return;
      }
      const row = (await repo.updateCi(db, existing.id, existing.version, f))!;
      await record(
        db,
        actor,
        'ci.updated',
        { type: 'ci', id: row.id },
        { ...ciView(existing) },
        { ...ciView(row), via: 'csv' },
      );
      result.updated++;
      result.rows.push({ line, action: 'update', assetTag: tag, name: row.name });
    } else {
      // a row without a status takes its class's default, as the form and the API do (a service is in use)
      const given = fieldsOf(body);
      const kind = body.status === undefined ? (await repo.classOf(db, body.classKey))?.kind : undefined;
      const f = body.status === undefined ? { ...given, status: defaultCiStatus(kind) } : given;
      await check(db, body.classKey, f, null);
      if (failed()) return;
      const row = await repo.insertCi(db, body.classKey, f);
      await record(db, actor, 'ci.created', { type: 'ci', id: row.id }, null, { ...ciView(row), via: 'csv' });
      result.created++;
      result.rows.push({ line, action: 'create', assetTag: tag, name: row.name });
    }
  } catch (e) {
    const errs = (e as { errors?: { path: string; message: string }[] }).errors;
    if (!errs) throw e;
    for (const x of errs)
      fail(COLUMN_OF[x.path] ?? x.path.replace(/^body\./, '').replace(/^custom\./, 'custom.'), x.message);
  }
}
