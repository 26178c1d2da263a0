/**
 * Importing OSV advisories offline, from a folder of `.json` files or a zip archive (OSV's per-ecosystem
 * `all.zip`). Every record is read and validated first; if any file is bad, the import is refused naming each
 * bad file and its problem, and nothing is stored. Otherwise all are stored in one transaction, then matched.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import * as repo from './exposure.repository.js';
import { matchAll } from './match.service.js';
import { type Advisory, parseOsv } from './osv.js';
import { openZip, readEntry, ZipError, zipEntries } from './zip.js';

/** The largest OSV record accepted (the biggest real ones are a few hundred kB). */
const MAX_RECORD = 8 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A bad file of an import. */
export interface BadFile {
  file: string;
  problem: string;
}

/** Every `.json` file below a folder, by relative name. */
async function* folderFiles(dir: string): AsyncGenerator<{ name: string; bytes: () => Promise<Buffer> }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const f of files) yield { name: relative(dir, f), bytes: () => readFile(f) };
}

/** Every `.json` entry of a zip archive. */
async function* zipFiles(path: string): AsyncGenerator<{ name: string; bytes: () => Promise<Buffer> }> {
  const fh = await openZip(path);
  try {
    for (const e of await zipEntries(fh)) {
      if (!e.name.endsWith('.json')) continue;
      yield { name: e.name, bytes: () => readEntry(fh, e, MAX_RECORD) };
    }
  } finally {
    await fh.close();
  }
}

/** Reads and validates every record of a folder or zip: the advisories, or the bad files. */
export async function readAdvisories(path: string): Promise<{ advisories: Advisory[]; bad: BadFile[] }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new AppError(400, 'no_source', 'No such source', `${path}: no such file or folder`);
  const advisories: Advisory[] = [];
  const bad: BadFile[] = [];
  const seen = new Map<string, string>();
  try {
    for await (const f of info.isDirectory() ? folderFiles(path) : zipFiles(path)) {
      try {
        const buf = await f.bytes();
        if (buf.length > MAX_RECORD) throw new Error(`larger than ${MAX_RECORD} bytes`);
        let text: string;
        try {
          text = utf8.decode(buf);
        } catch {
          throw new Error('not valid UTF-8');
        }
        const a = parseOsv(text);
        const twin = seen.get(a.id);
        if (twin) throw new Error(`${a.id} is also in ${twin}`);
        seen.set(a.id, f.name);
        advisories.push(a);
      } catch (err) {
        if (err instanceof ZipError) throw err;
        bad.push({ file: f.name, problem: (err as Error).message });
      }
    }
  } catch (err) {
    if (err instanceof ZipError)
      throw new AppError(422, 'bad_archive', 'Not a readable zip archive', err.message);
    throw err;
  }
  bad.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
  return { advisories, bad };
}

/** What an import did. */
export interface ImportOutcome {
  files: number;
  stored: number;
  unchanged: number;
  packages: number;
  opened: number;
  closed: number;
}

/** Imports a folder or zip (admins); `label` names the source in the audit trail. */
export async function importAdvisories(
  ctx: Ctx,
  actor: Actor,
  path: string,
  label: string,
): Promise<ImportOutcome> {
  can(actor, 'ci:admin');
  const { advisories, bad } = await readAdvisories(path);
  if (bad.length > 0) {
    throw new AppError(
      422,
      'invalid_advisories',
      'Invalid advisories',
      `${bad.length} of ${bad.length + advisories.length} files are not valid OSV records: nothing was imported`,
      bad.slice(0, 100).map((b) => ({ path: b.file, message: b.problem })),
    );
  }
  if (advisories.length === 0) {
    throw new AppError(422, 'no_advisories', 'No advisories', `${label}: no .json OSV records found`);
  }
  const stored = await ctx.tx(async (db) => {
    const n = await repo.upsertAdvisories(db, advisories);
    await record(db, actor, 'exposure.advisories_imported', { type: 'exposure', id: null }, null, {
      source: label.slice(0, 500),
      files: advisories.length,
      stored: n,
    });
    return n;
  });
  const matched = await matchAll(ctx);
  return {
    files: advisories.length,
    stored,
    unchanged: advisories.length - stored,
    packages: advisories.reduce((n, a) => n + a.packages.length, 0),
    ...matched,
  };
}
