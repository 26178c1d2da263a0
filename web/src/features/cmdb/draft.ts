/**
 * The item form's state and its conversion to API bodies: every text control holds a string, custom fields
 * are converted by their class's types, and an edit sends only what changed. Pure functions, tested alone.
 */
import type { Ci, CiClass, CiField, CiStatus, CreateCi, UpdateCi } from '@contracts';

/** A custom field's value in the form: text for most types, a flag for booleans. */
export type CustomDraft = Record<string, string | boolean>;

/** What the item form edits. */
export interface ItemDraft {
  classKey: string;
  name: string;
  assetTag: string;
  serial: string;
  model: string;
  manufacturer: string;
  status: CiStatus;
  ownerId: string;
  teamId: string;
  locationId: string;
  purchaseDate: string;
  cost: string;
  warrantyEnd: string;
  notes: string;
  custom: CustomDraft;
}

/** The form's standard text fields that map to a nullable API field of the same name. */
const NULLABLE = [
  'assetTag',
  'serial',
  'model',
  'manufacturer',
  'ownerId',
  'teamId',
  'locationId',
  'purchaseDate',
  'cost',
  'warrantyEnd',
] as const;

/** An empty form for a new item of `classKey`. */
export function emptyDraft(classKey = ''): ItemDraft {
  return {
    classKey,
    name: '',
    assetTag: '',
    serial: '',
    model: '',
    manufacturer: '',
    status: 'in_stock',
    ownerId: '',
    teamId: '',
    locationId: '',
    purchaseDate: '',
    cost: '',
    warrantyEnd: '',
    notes: '',
    custom: {},
  };
}

/** The form's state for an existing item. */
export function draftOf(ci: Ci): ItemDraft {
  const d = emptyDraft(ci.classKey);
  for (const k of NULLABLE) d[k] = ci[k] ?? '';
  const custom: CustomDraft = {};
  for (const [k, v] of Object.entries(ci.custom)) {
    if (v === null) continue;
    custom[k] = typeof v === 'boolean' ? v : String(v);
  }
  return { ...d, name: ci.name, status: ci.status, notes: ci.notes, custom };
}

/**
 * Custom values for the API, typed by the class's fields: empty values are left out, numbers parsed (a text
 * that is not a number is sent as it is, so that the server names the field), booleans as flags. Values of
 * keys the class does not have are kept, so the server reports them instead of the form dropping data.
 */
export function customValues(
  fields: readonly CiField[],
  custom: CustomDraft,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const types = new Map(fields.map((f) => [f.key, f.type]));
  for (const [k, v] of Object.entries(custom)) {
    const type = types.get(k);
    if (typeof v === 'boolean') {
      if (type === 'boolean') out[k] = v;
      continue;
    }
    const t = v.trim();
    if (t === '') continue;
    out[k] = type === 'number' && Number.isFinite(Number(t)) ? Number(t) : t;
  }
  return out;
}

/** The body that creates the drafted item. */
export function createBody(d: ItemDraft, cls: CiClass | undefined): CreateCi {
  const body: CreateCi = { classKey: d.classKey, name: d.name.trim(), status: d.status, notes: d.notes };
  for (const k of NULLABLE) {
    const v = d[k].trim();
    if (v !== '') body[k] = v;
  }
  const custom = customValues(cls?.fields ?? [], d.custom);
  if (Object.keys(custom).length > 0) body.custom = custom;
  return body;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The patch that turns `ci` into the drafted item: only the fields that differ (empty: nothing to save). */
export function updateBody(ci: Ci, d: ItemDraft, cls: CiClass | undefined): UpdateCi {
  const patch: UpdateCi = {};
  if (d.name.trim() !== ci.name) patch.name = d.name.trim();
  if (d.status !== ci.status) patch.status = d.status;
  if (d.notes !== ci.notes) patch.notes = d.notes;
  for (const k of NULLABLE) {
    const v = d[k].trim();
    const next = v === '' ? null : v;
    if (next !== ci[k]) patch[k] = next;
  }
  const custom = customValues(cls?.fields ?? [], d.custom);
  const current = Object.fromEntries(Object.entries(ci.custom).filter(([, v]) => v !== null));
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort());
  if (!same(sorted(custom), sorted(current))) patch.custom = custom;
  return patch;
}
