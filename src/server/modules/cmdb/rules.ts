/**
 * Which relationships make sense between which kinds of item, and typed custom field values. Pure functions:
 * the services turn a refusal into a 400 naming the field.
 */
import type { CiField, CiKind, RelationshipType } from '../../../contracts/index.js';

const HARDWARE: readonly CiKind[] = ['computer', 'peripheral', 'network', 'storage'];
const RUNS: readonly CiKind[] = ['service', 'software_installation'];
const PLATFORM: readonly CiKind[] = ['computer', 'network', 'storage'];

/** Allowed kinds at each end of each relationship type ("from <type> to"). */
export const RELATIONSHIP_RULES: Record<
  RelationshipType,
  { from: readonly CiKind[]; to: readonly CiKind[] }
> = {
  depends_on: {
    from: ['service', 'software_installation', ...PLATFORM],
    to: ['service', 'software_installation', 'credential', ...PLATFORM],
  },
  runs_on: { from: [...RUNS, 'computer'], to: PLATFORM },
  installed_on: { from: ['software_installation'], to: ['computer'] },
  connected_to: { from: HARDWARE, to: HARDWARE },
  used_by: {
    from: [...HARDWARE, 'software_installation', 'licence', 'credential'],
    to: ['service', 'computer'],
  },
  backs_up: { from: ['storage', 'computer', 'service'], to: ['computer', 'storage', 'service'] },
  covered_by: { from: [...HARDWARE, 'software_product', 'service'], to: ['contract', 'licence'] },
};

/** Why a relationship of `type` from a `from` item to a `to` item is not allowed, or null when it is. */
export function relationshipProblem(type: RelationshipType, from: CiKind, to: CiKind): string | null {
  const r = RELATIONSHIP_RULES[type];
  if (!r.from.includes(from)) return `a ${from.replace('_', ' ')} cannot be the source of ${type}`;
  if (!r.to.includes(to)) return `${type} cannot point to a ${to.replace('_', ' ')}`;
  return null;
}

/** Checks custom values against a class's fields; returns per-field messages (empty when valid). */
export function customProblems(
  fields: readonly CiField[],
  values: Record<string, string | number | boolean | null>,
): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(values)) {
    if (!byKey.has(key)) out.push({ key, message: 'not a field of this class' });
  }
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === null || v === '') {
      if (f.required) out.push({ key: f.key, message: 'required' });
      continue;
    }
    const bad = (message: string) => out.push({ key: f.key, message });
    switch (f.type) {
      case 'text':
        if (typeof v !== 'string') bad('must be text');
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a number');
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad('must be true or false');
        break;
      case 'date':
        if (
          typeof v !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}$/.test(v) ||
          Number.isNaN(Date.parse(`${v}T00:00:00Z`))
        )
          bad('must be a date, YYYY-MM-DD');
        break;
      case 'enum':
        if (typeof v !== 'string' || !(f.options ?? []).includes(v))
          bad(`must be one of: ${(f.options ?? []).join(', ')}`);
        break;
    }
  }
  return out;
}
