/**
 * A request's answers checked against its item's form, on the server: no unknown fields, each value of its
 * field's type and within its rules (lengths, patterns, ranges, choices), required ones present, and fields a
 * condition hides left out. Pure: references to people and items are resolved by the service afterwards.
 */
import { type FieldCondition, type FormField, holds, isGiven } from '../../../contracts/index.js';

/** A problem with one answer, as the API reports it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A file answered in an attachment field, decoded. */
export interface FileAnswer {
  key: string;
  fileName: string;
  data: Buffer;
}

/** The answers that passed, by key: text, numbers, dates, choices and ids; files apart. */
export interface CheckedAnswers {
  values: Record<string, string | number | string[]>;
  files: FileAnswer[];
}

/** The largest file an attachment field takes. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Whether `s` holds a control character other than tab and newline (which only a multi-line text may hold). */
const hasControl = (s: string) =>
  [...s].some((c) => {
    const n = c.charCodeAt(0);
    return (n < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || n === 0x7f;
  });

/** For people: "shown when Device is laptop, tablet". */
function conditionText(cond: FieldCondition, fields: readonly FormField[]): string {
  const label = fields.find((f) => f.key === cond.field)?.label ?? cond.field;
  return cond.equals ? `${label} is ${cond.equals.join(' or ')}` : `${label} has a value`;
}

function isValidDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** The problem with one given value of `f`, or its stored form. */
function checkValue(
  f: FormField,
  v: unknown,
): { ok: string | number | string[] | FileAnswer } | { error: string } {
  switch (f.type) {
    case 'text': {
      if (typeof v !== 'string') return { error: 'must be text' };
      if (!f.multiline && /[\r\n]/.test(v)) return { error: 'must be one line' };
      if (hasControl(v)) return { error: 'must not contain control characters' };
      const n = [...v].length;
      if (f.minLength !== undefined && n < f.minLength)
        return { error: `must be at least ${f.minLength} characters` };
      if (n > (f.maxLength ?? 10_000))
        return { error: `must be at most ${f.maxLength ?? 10_000} characters` };
      if (f.pattern && !new RegExp(`^(?:${f.pattern})$`, 'u').test(v))
        return { error: `must match the pattern ${f.pattern}` };
      return { ok: v };
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return { error: 'must be a number' };
      if (f.integer && !Number.isInteger(v)) return { error: 'must be a whole number' };
      if (f.min !== undefined && v < f.min) return { error: `must be at least ${f.min}` };
      if (f.max !== undefined && v > f.max) return { error: `must be at most ${f.max}` };
      return { ok: v };
    case 'date':
      if (typeof v !== 'string' || !isValidDay(v)) return { error: 'must be a date, YYYY-MM-DD' };
      if (f.min && v < f.min) return { error: `must be on or after ${f.min}` };
      if (f.max && v > f.max) return { error: `must be on or before ${f.max}` };
      return { ok: v };
    case 'choice': {
      const allowed = new Set(f.choices.map((c) => c.value));
      const offered = f.choices.map((c) => c.value).join(', ');
      if (f.multiple) {
        const list: unknown[] = Array.isArray(v) ? (v as unknown[]) : [0];
        if (!Array.isArray(v) || list.some((x) => typeof x !== 'string'))
          return { error: 'must be a list of choices' };
        const picked = list as string[];
        if (new Set(picked).size !== picked.length) return { error: 'a choice is given twice' };
        const bad = picked.find((x) => !allowed.has(x));
        return bad === undefined ? { ok: picked } : { error: `${bad} is not one of: ${offered}` };
      }
      if (typeof v !== 'string') return { error: 'must be one choice' };
      return allowed.has(v) ? { ok: v } : { error: `must be one of: ${offered}` };
    }
    case 'user':
      if (typeof v !== 'string' || !(UUID.test(v) || EMAIL.test(v)))
        return { error: "must be a person's id or e-mail address" };
      return { ok: v };
    case 'ci':
      if (typeof v !== 'string' || !UUID.test(v)) return { error: 'must be the id of an item from the CMDB' };
      return { ok: v.toLowerCase() };
    case 'attachment': {
      const a = v as { fileName?: unknown; contentBase64?: unknown } | null;
      if (typeof a !== 'object' || Array.isArray(a) || typeof a?.fileName !== 'string')
        return { error: 'must be a file: { fileName, contentBase64 }' };
      const data = Buffer.from(typeof a.contentBase64 === 'string' ? a.contentBase64 : '', 'base64');
      if (data.length === 0) return { error: 'the file is empty' };
      if (data.length > MAX_FILE_BYTES) return { error: 'the file is larger than 10 MB' };
      return { ok: { key: f.key, fileName: a.fileName, data } };
    }
  }
}

/**
 * Checks `raw` against `fields` in form order (a condition names an earlier field, so one pass decides what
 * is shown). Returns the answers, or every problem found, each naming its field (`values.<key>`).
 */
export function checkAnswers(
  fields: readonly FormField[],
  raw: Readonly<Record<string, unknown>>,
): { answers: CheckedAnswers } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(raw))
    if (!known.has(key)) problems.push({ path: `values.${key}`, message: 'no such field in this form' });
  const shown: Record<string, unknown> = {};
  const answers: CheckedAnswers = { values: {}, files: [] };
  for (const f of fields) {
    const path = `values.${f.key}`;
    const v = raw[f.key];
    if (f.showWhen && !holds(f.showWhen, shown)) {
      if (isGiven(v))
        problems.push({
          path,
          message: `this field is hidden (shown when ${conditionText(f.showWhen, fields)})`,
        });
      continue;
    }
    if (!isGiven(v)) {
      const required = f.required || (f.requiredWhen !== undefined && holds(f.requiredWhen, shown));
      if (required) problems.push({ path, message: `${f.label} is required` });
      continue;
    }
    const r = checkValue(f, v);
    if ('error' in r) {
      problems.push({ path, message: r.error });
      continue;
    }
    if (typeof r.ok === 'object' && !Array.isArray(r.ok)) answers.files.push(r.ok);
    else answers.values[f.key] = r.ok;
    // Conditions compare the answer as given (a file counts by its name).
    shown[f.key] = typeof r.ok === 'object' && !Array.isArray(r.ok) ? r.ok.fileName : r.ok;
  }
  return problems.length ? { problems } : { answers };
}
