/**
 * Generates db/schema.ts (Kysely's table types) from a migrated database, so that every table is typed and the
 * types cannot drift from the migrations: `npm run db:schema` writes the file, and a test regenerates it on both
 * databases and fails when the checked-in file differs.
 *
 * Types come from the catalogue: the column's type, whether it is nullable, whether it has a default (then it is
 * optional on insert), and CHECK constraints of the form `col IN ('a', 'b')` (then a union of those literals).
 * What the catalogue cannot tell (the shape of a JSON column, a column only triggers or the audit sealer write) is
 * in OVERRIDES below, with the reason as the column's doc comment.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/context.js';

interface Override {
  /** The column's type, when the catalogue's would be wrong or too loose; without it only the doc is added. */
  type?: string;
  doc?: string;
}

const never = (t: string) => `ColumnType<${t}, never, never>`;

/** Column types the catalogue cannot tell, by `table.column`. */
const OVERRIDES: Record<string, Override> = {
  'audit_log.id': { type: 'Generated<string>', doc: 'bigserial: parsed as a string by both drivers (int8).' },
  'audit_log.seq': { type: 'ColumnType<string | null, never, string>', doc: 'Written by the sealer only.' },
  'audit_log.prev_hash': { type: 'ColumnType<string | null, never, string>' },
  'audit_log.hash': { type: 'ColumnType<string | null, never, string>' },
  'audit_log.refused': {
    type: 'ColumnType<string | null, never, string>',
    doc: 'Why the sealer refused to chain the entry (dated before the chain head); null for chained entries.',
  },
  'audit_log.before': { type: 'Json' },
  'audit_log.after': { type: 'Json' },
  'audit_chain_head.at': {
    type: 'Date | null',
    doc: 'The newest `at` of the chained entries: the sealer refuses entries dated before it.',
  },
  'audit_chain_head.keyed_from': {
    doc: 'The first keyed position; entries before it were sealed unkeyed (before migration 0021).',
  },
  'audit_chain_head.mac': {
    doc: 'HMAC over (seq, hash, at, keyed_from) with the chain key; null only for a head not yet sealed keyed.',
  },
  'audit_chain_head.key_id': {
    doc: 'Identifies the key the chain is sealed with (derived from it, reveals nothing).',
  },
  'tickets.search_public': { type: never('string'), doc: 'Maintained by triggers; never written.' },
  'tickets.search_all': { type: never('string'), doc: 'Maintained by triggers; never written.' },
  'ticket_comments.seq': { type: never('string') },
  'ticket_events.seq': { type: never('string') },
  'ticket_events.old_value': { type: 'ColumnType<unknown, string | null, string | null>' },
  'ticket_events.new_value': { type: 'ColumnType<unknown, string | null, string | null>' },
  'settings.value': { type: 'ColumnType<unknown, string, string>' },
  'dr_plans.verified_scope': {
    type: 'ColumnType<{ items: Record<string, number>; relationships: string[] } | null, string | null, string | null>',
    doc: 'The scope a drill verified: each item in scope by id with its version, and the relationships walked.',
  },
  'saved_views.filters': { type: 'JsonOf<Record<string, unknown>>' },
  'backup_targets.secrets': {
    type: 'string | null',
    doc: 'Credentials as JSON, sealed under the master key (platform/envelope.ts).',
  },
  'backup_repositories.password': {
    type: 'string',
    doc: 'The repository password, sealed under the master key.',
  },
  'backup_policies.schedule': { type: 'JsonOf<Record<string, unknown>>' },
  'backup_policies.paths': { type: 'JsonOf<{ linux: string[]; windows: string[]; macos: string[] }>' },
  'backup_policies.excludes': { type: 'JsonOf<string[]>' },
  'backup_policies.retention': { type: 'JsonOf<Record<string, number | string>>' },
  'backup_runs.warnings': { type: 'JsonOf<string[]>' },
  'backup_restores.paths': { type: 'JsonOf<string[]>' },
  'backup_restores.skipped': { type: 'ColumnType<string[], string | undefined, string>' },
  'backup_restores.problems': { type: 'ColumnType<string[], string | undefined, string>' },
  'backup_upkeep.details': { type: 'JsonOf<Record<string, unknown>>' },
  'dr_drills.evidence': {
    type: 'ColumnType<Record<string, unknown> | null, string | null, string | null>',
    doc: 'What the drill restored, from which snapshots, hashes, times and who ran it; frozen once finished.',
  },
  'dr_drill_steps.details': { type: 'JsonOf<Record<string, unknown>>' },
  'dr_drills.plan_scope': { type: 'JsonOf<{ items: Record<string, number>; relationships: string[] }>' },
};

interface ColumnRow {
  table_name: string;
  column_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_generated: string;
  udt_name: string;
}

const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());

/** The TypeScript type of a catalogue type name (element types of arrays start with an underscore). */
function baseType(udt: string): { read: string; write?: string } {
  if (udt.startsWith('_')) return { read: `${baseType(udt.slice(1)).read}[]` };
  switch (udt) {
    case 'int2':
    case 'int4':
    case 'float4':
    case 'float8':
      return { read: 'number' };
    case 'int8':
    case 'numeric':
      return { read: 'string', write: 'number | string' };
    case 'bool':
      return { read: 'boolean' };
    case 'bytea':
      return { read: 'Buffer' };
    case 'json':
    case 'jsonb':
      return { read: 'unknown', write: 'string' };
    case 'timestamptz':
    case 'timestamp':
    case 'date':
      return { read: 'Date', write: 'Date | string' };
    default:
      return { read: 'string' };
  }
}

/** Checks that are exactly `col IN ('a', 'b')`, as literal unions by `table.column`. */
function literalUnions(defs: { table: string; def: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { table, def } of defs) {
    const m = /^CHECK \(\((\w+) = ANY \(ARRAY\[((?:'(?:[^']|'')*'::text(?:, )?)+)\]\)\)\)$/.exec(def);
    if (!m) continue;
    const literals = [...(m[2] ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1] ?? '');
    out.set(`${table}.${m[1] ?? ''}`, literals);
  }
  return out;
}

function columnType(c: ColumnRow, unions: Map<string, string[]>): string {
  const key = `${c.table_name}.${c.column_name}`;
  const nullable = c.is_nullable === 'YES';
  const literals = unions.get(key);
  const b = literals
    ? { read: literals.map((l) => `'${l.replace(/''/g, "\\'")}'`).join(' | ') }
    : baseType(c.udt_name);
  const read = nullable ? `${b.read} | null` : b.read;
  const optional = c.column_default !== null || c.is_generated === 'ALWAYS';
  if (b.read === 'Date') return nullable ? 'NullableTimestamp' : 'Timestamp';
  if (b.read === 'unknown') return nullable ? 'Json' : 'ColumnType<unknown, string | undefined, string>';
  // Generated columns and sequence numbers (serial) are the database's to write.
  if (c.is_generated === 'ALWAYS' || c.column_default?.startsWith('nextval(')) return never(read);
  if (b.write) {
    const write = nullable ? `${b.write} | null` : b.write;
    return optional
      ? `ColumnType<${read}, ${write} | undefined, ${write}>`
      : `ColumnType<${read}, ${write}, ${write}>`;
  }
  return optional ? `Generated<${read}>` : read;
}

const HEADER = `// Generated by \`npm run db:schema\` from the migrated database (src/server/db/schema-gen.ts). Do not edit:
// change a migration (or an override in schema-gen.ts) and regenerate; a test fails when this file is stale.
import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: read as Date, written as Date or ISO string; optional on insert (a default or a trigger). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A JSON object column, written as JSON text. */
type Json = ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
/** A JSON column of a known shape, written as JSON text. */
type JsonOf<T> = ColumnType<T, string, string>;
`;

/** The text of db/schema.ts for the database `db` is connected to (migrated). */
export async function generateSchema(db: Db): Promise<string> {
  const columns = (
    await sql<ColumnRow>`
      SELECT c.table_name, c.column_name, c.is_nullable, c.column_default, c.is_generated, c.udt_name
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name, c.ordinal_position`.execute(db)
  ).rows;
  const checks = (
    await sql<{ table: string; def: string }>`
      SELECT conrelid::regclass::text AS "table", pg_get_constraintdef(oid) AS def
        FROM pg_constraint
       WHERE contype = 'c' AND connamespace = 'public'::regnamespace`.execute(db)
  ).rows;
  const unions = literalUnions(checks);
  const tables = [...new Set(columns.map((c) => c.table_name))];
  let out = HEADER;
  for (const table of tables) {
    out += `\nexport interface ${pascal(table)}Table {\n`;
    for (const c of columns.filter((x) => x.table_name === table)) {
      const o = OVERRIDES[`${table}.${c.column_name}`];
      if (o?.doc) out += `  /** ${o.doc} */\n`;
      out += `  ${c.column_name}: ${o?.type ?? columnType(c, unions)};\n`;
    }
    out += '}\n';
  }
  out += '\n/** Every table of the database. */\nexport interface DB {\n';
  for (const table of tables) out += `  ${table}: ${pascal(table)}Table;\n`;
  return `${out}}\n`;
}

/** generateSchema's text formatted as the project formats its sources (prettier, with the file's settings). */
export async function formattedSchema(db: Db, file: string): Promise<string> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(file);
  return prettier.format(await generateSchema(db), { ...options, filepath: file });
}
