/**
 * Reading a control set to import: JSON (`{"framework":{"key","name"},"controls":[{"ref","title","section"?,
 * "text"?}]}`) or CSV (header `ref,title` and optionally `section`, `text`; the framework named beside it).
 * Pure: bytes in, controls out, or an Invalid error naming the line or field. Text that is not UTF-8 or holds NUL
 * is refused before anything else is read.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Line } from '../../../contracts/index.js';
import { type FieldError, Invalid } from '../../platform/errors.js';
import { findBadText } from '../../platform/wellformed.js';
import { CsvError, decodeCsv, parseCsv } from '../../platform/csv.js';
import type { ImportedControl } from './compliance.repository.js';

/** The most controls one framework may hold. */
export const MAX_CONTROLS = 5000;

const Key = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{0,63}$/,
    'lower-case letters, digits, dots and dashes (up to 64), e.g. iso27001-2022',
  );

const Control = z.strictObject({
  ref: Line(32),
  title: Line(300),
  section: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  text: z
    .string()
    .trim()
    .max(20000, 'must be at most 20,000 characters')
    .nullable()
    .optional()
    .transform((t) => (t ? t : null)),
});

const ControlSet = z.strictObject({
  framework: z.strictObject({ key: Key, name: Line(200) }),
  controls: z
    .array(Control)
    .min(1, 'list at least one control')
    .max(MAX_CONTROLS, `at most ${MAX_CONTROLS} controls`),
});

/** A control set read from a file. */
export interface ControlSet {
  key: string;
  name: string;
  controls: ImportedControl[];
}

function fieldErrors(e: z.ZodError, at: (path: PropertyKey[]) => string): FieldError[] {
  return e.issues.slice(0, 20).map((i) => ({
    path: at(i.path),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

function checkUnique(controls: readonly { ref: string }[], where: (i: number) => string): void {
  const seen = new Map<string, number>();
  controls.forEach((c, i) => {
    const first = seen.get(c.ref.toLowerCase());
    if (first !== undefined)
      throw Invalid('the file lists a control twice', [
        { path: where(i), message: `${c.ref} is already listed at ${where(first)}` },
      ]);
    seen.set(c.ref.toLowerCase(), i);
  });
}

function decode(bytes: Uint8Array): string {
  try {
    return decodeCsv(bytes).replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof CsvError)
      throw Invalid(`line ${e.line}: ${e.message}`, [{ path: 'file', message: e.message }]);
    throw e;
  }
}

function fromJson(text: string): ControlSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw Invalid(`the file is not JSON: ${(e as Error).message}`, [{ path: 'file', message: 'not JSON' }]);
  }
  // JSON escapes can spell what the bytes may not hold (\u0000, a lone surrogate): refused the same way.
  const bad = findBadText(data, 'file');
  if (bad !== undefined)
    throw Invalid('the file holds a NUL character or an unpaired surrogate', [
      { path: bad, message: 'not text' },
    ]);
  const r = ControlSet.safeParse(data);
  if (!r.success)
    throw Invalid(
      'the file is not a control set',
      fieldErrors(r.error, (p) => ['file', ...p.map(String)].join('.')),
    );
  checkUnique(r.data.controls, (i) => `file.controls.${i}.ref`);
  return {
    key: r.data.framework.key,
    name: r.data.framework.name,
    controls: r.data.controls,
  };
}

const COLUMNS = ['ref', 'title', 'section', 'text'] as const;

function fromCsv(text: string, framework: { key?: string; name?: string }): ControlSet {
  const head = z
    .strictObject({ key: Key, name: Line(200) })
    .safeParse({ key: framework.key, name: framework.name });
  if (!head.success)
    throw Invalid(
      'name the framework of a CSV file',
      fieldErrors(head.error, (p) => ['query', ...p.map(String)].join('.')),
    );
  let rows: { line: number; fields: string[] }[];
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError)
      throw Invalid(`line ${e.line}: ${e.message}`, [{ path: 'file', message: e.message }]);
    throw e;
  }
  const [header, ...body] = rows;
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (
    !names.includes('ref') ||
    !names.includes('title') ||
    unknown.length > 0 ||
    new Set(names).size !== names.length
  )
    throw Invalid('the first line must name the columns: ref, title and optionally section, text', [
      {
        path: 'file.line.1',
        message: unknown.length
          ? `unknown column(s): ${unknown.join(', ')}`
          : 'need ref and title, each once',
      },
    ]);
  if (body.length === 0) throw Invalid('the file lists no controls', [{ path: 'file', message: 'no rows' }]);
  if (body.length > MAX_CONTROLS)
    throw Invalid(`at most ${MAX_CONTROLS} controls`, [{ path: 'file', message: 'too many rows' }]);
  const controls = body.map((row) => {
    if (row.fields.length !== names.length)
      throw Invalid(`line ${row.line}: ${row.fields.length} fields, the header has ${names.length}`, [
        { path: `file.line.${row.line}`, message: 'wrong number of fields' },
      ]);
    const r = Control.safeParse(Object.fromEntries(names.map((n, i) => [n, row.fields[i]])));
    if (!r.success)
      throw Invalid(
        `line ${row.line}: ${r.error.issues[0]?.message ?? 'invalid'}`,
        fieldErrors(r.error, (p) => `file.line.${row.line}.${p.map(String).join('.')}`),
      );
    return r.data;
  });
  checkUnique(controls, (i) => `file.line.${body[i]!.line}`);
  return { key: head.data.key, name: head.data.name, controls };
}

/** Reads a control set from a file's bytes; throws Invalid (400) naming what is wrong. */
export function readControlSet(
  bytes: Uint8Array,
  format: 'json' | 'csv',
  framework: { key?: string | undefined; name?: string | undefined } = {},
): ControlSet {
  const text = decode(bytes);
  return format === 'json' ? fromJson(text) : fromCsv(text, framework);
}

const BUILTIN = ['iso27001-2022', 'iso9001-2015', 'iso20000-1-2018'] as const;

/** The control sets Steward ships (identifiers and short titles in our own words), read once. */
export const builtinSets: () => ControlSet[] = (() => {
  let sets: ControlSet[] | undefined;
  return () =>
    (sets ??= BUILTIN.map((k) =>
      readControlSet(readFileSync(new URL(`./frameworks/${k}.json`, import.meta.url)), 'json'),
    ));
})();
