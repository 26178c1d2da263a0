/**
 * CSV import from password managers' exports (Bitwarden, KeePass/KeePassXC, 1Password), the format told by the
 * header row. A dry run says row by row what would be created or skipped; a real run creates a credential item
 * per row and gives it its secret. Results name items and login names, never a password.
 */
import type { ImportFormat, VaultImport, VaultImportResult } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { Invalid } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { CsvError, decodeCsv, parseCsv } from '../../platform/csv.js';
import { createCi, credentialNames, isCredentialClass } from '../cmdb/index.js';
import type { VaultService } from './vault.service.js';

/** One entry of an export, in our terms. */
interface Row {
  line: number;
  name: string;
  username: string;
  password: string;
  url: string;
  notes: string;
  group: string;
}

/** Header names of each format (lower-cased) for our fields. */
const COLUMNS: Record<ImportFormat, Record<keyof Omit<Row, 'line'>, readonly string[]>> = {
  bitwarden: {
    name: ['name'],
    username: ['login_username'],
    password: ['login_password'],
    url: ['login_uri'],
    notes: ['notes'],
    group: ['folder', 'collections'],
  },
  keepass: {
    name: ['title', 'account'],
    username: ['username', 'login name', 'user name'],
    password: ['password'],
    url: ['url', 'web site'],
    notes: ['notes', 'comments'],
    group: ['group'],
  },
  '1password': {
    name: ['title', 'name'],
    username: ['username'],
    password: ['password'],
    url: ['url', 'website', 'urls'],
    notes: ['notes', 'notesplain'],
    group: ['vault', 'tags'],
  },
};

/** The format whose export has this header row, or undefined. */
export function detectFormat(header: readonly string[]): ImportFormat | undefined {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  if (h.has('login_password') && h.has('name')) return 'bitwarden';
  if ((h.has('account') && h.has('login name')) || (h.has('group') && h.has('title') && h.has('password')))
    return 'keepass';
  if ((h.has('title') || h.has('name')) && h.has('password')) return '1password';
  return undefined;
}

/** The rows of an export and its format. */
export function readExport(csv: string): { format: ImportFormat; rows: Row[] } {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(decodeCsv(Buffer.from(csv, 'utf8')));
  } catch (e) {
    if (e instanceof CsvError) throw Invalid(`line ${e.line}: ${e.message}`);
    throw e;
  }
  const [head, ...body] = parsed;
  const format = head && detectFormat(head.fields);
  if (!head || !format)
    throw Invalid('not a Bitwarden, KeePass or 1Password CSV export: the first row must be its header');
  const names = head.fields.map((c) => c.trim().toLowerCase());
  const col = (k: keyof Omit<Row, 'line'>) => {
    for (const n of COLUMNS[format][k]) {
      const i = names.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const at = Object.fromEntries(
    (['name', 'username', 'password', 'url', 'notes', 'group'] as const).map((k) => [k, col(k)]),
  ) as Record<keyof Omit<Row, 'line'>, number>;
  const get = (fields: string[], i: number) => (i >= 0 ? (fields[i] ?? '') : '');
  return {
    format,
    rows: body.map((r) => ({
      line: r.line,
      name: get(r.fields, at.name).trim(),
      username: get(r.fields, at.username).trim(),
      password: get(r.fields, at.password),
      url: get(r.fields, at.url).trim(),
      notes: get(r.fields, at.notes),
      group: get(r.fields, at.group).trim(),
    })),
  };
}

/** What the credential opens: the URL's host, else the folder or group, else its name. */
function systemOf(r: Row): string {
  const first = r.url.split(/[\s,]+/)[0] ?? '';
  try {
    const host = new URL(first).hostname;
    if (host) return host.slice(0, 200);
  } catch {
    // not a URL: a host name or nothing
  }
  return (first || r.group || r.name).slice(0, 200);
}

const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const LABEL: Record<ImportFormat, string> = {
  bitwarden: 'Bitwarden',
  keepass: 'KeePass',
  '1password': '1Password',
};

/** Why a row cannot be imported, or null. Never quotes the row's secret. */
function problemOf(r: Row, taken: Set<string>): string | null {
  if (!r.name) return 'the entry has no name';
  if (r.name.length > 200 || hasControl(r.name))
    return 'the name is longer than 200 characters or not one line';
  if (r.username.length > 200 || hasControl(r.username)) return 'the login name is too long or not one line';
  if (!r.password && !r.notes) return 'the entry has neither a password nor notes';
  if (r.password.length > 4096) return 'the password is longer than 4,096 characters';
  if (r.notes.length > 20_000) return 'the notes are longer than 20,000 characters';
  if (taken.has(r.name.toLowerCase())) return 'an item of this name exists already';
  return null;
}

/** Imports (or, with `dryRun`, previews) a password manager's CSV export. */
export async function importExport(
  ctx: Ctx,
  vault: VaultService,
  actor: Actor,
  input: VaultImport,
): Promise<VaultImportResult> {
  can(actor, 'ci:write');
  if (!(await isCredentialClass(ctx.db, input.classKey)))
    throw Invalid(`“${input.classKey}” is not a class of credential items`);
  const { format, rows } = readExport(input.csv);
  const taken = await credentialNames(ctx.db, input.classKey);
  const out: VaultImportResult = { format, dryRun: input.dryRun, created: 0, skipped: 0, rows: [] };
  for (const r of rows) {
    const why = problemOf(r, taken);
    const system = systemOf(r);
    out.rows.push({
      line: r.line,
      name: r.name.slice(0, 200),
      system,
      username: r.username || null,
      action: why ? 'skip' : 'create',
      why,
    });
    if (why) {
      out.skipped++;
      continue;
    }
    taken.add(r.name.toLowerCase());
    if (input.dryRun) continue;
    const item = await createCi(ctx, actor, {
      classKey: input.classKey,
      name: r.name,
      status: 'deployed',
      custom: { system },
    });
    await vault.setSecret(actor, item.id, {
      username: r.username || null,
      password: r.password || undefined,
      notes: r.notes || null,
      reason: `imported from ${LABEL[format]}`,
    });
    out.created++;
  }
  return out;
}
