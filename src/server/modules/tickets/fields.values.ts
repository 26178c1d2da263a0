import type { FieldValue, FieldValues, TicketField } from '../../../contracts/index.js';
import { Invalid } from '../../platform/errors.js';
import type { FieldRow } from './fields.repository.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A definition as clients see it. */
export function fieldView(r: FieldRow): TicketField {
  return {
    id: r.id,
    key: r.key,
    label: r.label,
    kind: r.kind,
    options: Array.isArray(r.options) ? (r.options as string[]) : [],
    required: r.required,
    types: r.types as TicketField['types'],
    categoryIds: r.category_ids,
    requesterVisible: r.requester_visible,
    position: r.position,
    version: r.version,
  };
}

/** Whether a field applies to a ticket of this type and category. */
export function applies(f: TicketField, type: string, categoryId: string | null): boolean {
  if (!f.types.includes(type as TicketField['types'][number])) return false;
  return f.categoryIds.length === 0 || (categoryId !== null && f.categoryIds.includes(categoryId));
}

/** The canonical stored text of a value, or an error message when it is not of the field's kind. */
export function canonical(f: TicketField, v: FieldValue): string | { error: string } {
  switch (f.kind) {
    case 'text': {
      if (typeof v !== 'string') return { error: 'must be text' };
      const s = v.trim();
      if (s === '') return { error: 'must not be empty' };
      if (s.length > 500) return { error: 'must be at most 500 characters' };
      if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
        return { error: 'must not contain control characters' };
      return s;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 1e15) return { error: 'must be a number' };
      return String(n);
    }
    case 'date': {
      const m = typeof v === 'string' ? DATE.exec(v) : null;
      if (!m) return { error: 'must be a date (YYYY-MM-DD)' };
      const d = new Date(`${v as string}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
        return { error: 'must be a real date' };
      return v;
    }
    case 'choice':
      if (typeof v !== 'string' || !f.options.includes(v)) {
        return { error: `must be one of: ${f.options.join(', ')}` };
      }
      return v;
    case 'checkbox':
      if (typeof v === 'boolean') return String(v);
      if (v === 'true' || v === 'false') return v;
      return { error: 'must be true or false' };
  }
}

/** A stored text back as the value clients get. */
export function fromStored(f: TicketField, s: string): FieldValue {
  if (f.kind === 'number') return Number(s);
  if (f.kind === 'checkbox') return s === 'true';
  return s;
}

/** What to check values against. */
export interface FieldScope {
  fields: readonly TicketField[];
  type: string;
  categoryId: string | null;
  /** Agents set every field; requesters only those shown to them. */
  agent: boolean;
  /** Required fields the caller may set must be given (creation through the API). */
  requireAll: boolean;
  path: string;
}

/**
 * Checks values against the definitions: every key known (and visible to the caller), applicable to the
 * ticket's type and category, of its kind, and (with `requireAll`) every required field given. Returns the
 * canonical text by field id (null clears); throws one 400 naming every problem.
 */
export function checkValues(scope: FieldScope, values: FieldValues): Map<string, string | null> {
  const byKey = new Map(scope.fields.filter((f) => scope.agent || f.requesterVisible).map((f) => [f.key, f]));
  const errors: { path: string; message: string }[] = [];
  const out = new Map<string, string | null>();
  for (const [key, v] of Object.entries(values)) {
    const f = byKey.get(key);
    const path = `${scope.path}.${key}`;
    if (!f) errors.push({ path, message: 'no such field' });
    else if (!applies(f, scope.type, scope.categoryId)) {
      errors.push({ path, message: 'does not apply to this ticket type or category' });
    } else if (v === null) {
      if (f.required) errors.push({ path, message: 'is required' });
      else out.set(f.id, null);
    } else {
      const c = canonical(f, v);
      if (typeof c === 'string') out.set(f.id, c);
      else errors.push({ path, message: c.error });
    }
  }
  if (scope.requireAll) {
    for (const f of byKey.values()) {
      if (f.required && applies(f, scope.type, scope.categoryId) && !(f.key in values)) {
        errors.push({ path: `${scope.path}.${f.key}`, message: 'is required' });
      }
    }
  }
  if (errors.length > 0) throw Invalid('invalid custom fields', errors);
  return out;
}
