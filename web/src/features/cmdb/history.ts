/**
 * An item's audit entries as readable changes: which fields changed from what to what (custom fields one by
 * one), relationships added and removed, software discovery found installed, reinstalled or removed. Pure functions; HistoryPanel renders their result.
 */
import type { AuditEntry } from '@contracts';
import type { Translate } from '../../i18n';

/** Standard fields of an item by their API name (their display names are `cmdb.field.<name>`). */
const FIELDS = [
  'name',
  'assetTag',
  'serial',
  'model',
  'manufacturer',
  'status',
  'ownerId',
  'teamId',
  'locationId',
  'purchaseDate',
  'cost',
  'warrantyEnd',
  'notes',
] as const;

/** A standard field's name as a history line says it ("asset tag"), or undefined for another field. */
export function fieldLabel(t: Translate, field: string): string | undefined {
  const known = FIELDS.find((f) => f === field);
  return known === undefined ? undefined : t(`cmdb.field.${known}`);
}

/** Fields that change with every write and say nothing by themselves. */
const IGNORED = new Set(['updatedAt', 'createdAt', 'version', 'id', 'classKey', 'via']);

/** One field's change; `field` is a standard field name or `custom.<key>`. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What one entry did, ready to phrase. */
export type HistoryLine =
  | { kind: 'created'; via: string | null }
  | { kind: 'changed'; changes: FieldChange[] }
  | { kind: 'related' | 'unrelated'; type: string; outgoing: boolean; otherId: string }
  | { kind: 'software'; onComputer: boolean; added: string[]; reinstalled: string[]; removed: string[] }
  | { kind: 'backup_run'; status: string; error: string | null }
  | { kind: 'other'; action: string };

/** "product version" of each installation a software-change entry lists under `key`, sorted. */
function installations(after: Record<string, unknown> | null, key: string): string[] {
  const list = after?.[key];
  if (!Array.isArray(list)) return [];
  return list
    .map((x) => rec(x))
    .map((x) => {
      const text = (v: unknown) => (typeof v === 'string' ? v : '');
      return `${text(x.product)} ${text(x.version)}`.trim();
    })
    .sort((a, b) => a.localeCompare(b));
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields that differ between two versions of an item; custom fields are compared key by key. */
export function changesOf(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED.has(k)) continue;
    if (k === 'custom') {
      const b = rec(before.custom);
      const a = rec(after.custom);
      for (const c of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort())
        if (!same(b[c], a[c])) out.push({ field: `custom.${c}`, before: b[c] ?? null, after: a[c] ?? null });
    } else if (!same(before[k], after[k]))
      out.push({ field: k, before: before[k] ?? null, after: after[k] ?? null });
  }
  return out;
}

/** What an audit entry about item `itemId` did. */
export function lineOf(entry: AuditEntry, itemId: string): HistoryLine {
  switch (entry.action) {
    case 'ci.created':
    case 'ci.discovered': {
      const via = entry.action === 'ci.discovered' ? 'discovery' : entry.after?.via;
      return { kind: 'created', via: typeof via === 'string' ? via : null };
    }
    case 'ci.updated':
      return { kind: 'changed', changes: changesOf(entry.before ?? {}, entry.after ?? {}) };
    case 'ci.related':
    case 'ci.unrelated': {
      const rel = (entry.action === 'ci.related' ? entry.after : entry.before) ?? {};
      const outgoing = rel.fromId === itemId;
      const other = outgoing ? rel.toId : rel.fromId;
      return {
        kind: entry.action === 'ci.related' ? 'related' : 'unrelated',
        type: typeof rel.type === 'string' ? rel.type : '',
        outgoing,
        otherId: typeof other === 'string' ? other : '',
      };
    }
    case 'ci.software_changed':
      return {
        kind: 'software',
        onComputer: entry.entityId === itemId,
        added: installations(entry.after, 'added'),
        reinstalled: installations(entry.after, 'reinstalled'),
        removed: installations(entry.after, 'removed'),
      };
    case 'backup.run_reported': {
      const after = entry.after ?? {};
      return {
        kind: 'backup_run',
        status: typeof after.status === 'string' ? after.status : '',
        error: typeof after.error === 'string' ? after.error : null,
      };
    }
    default:
      return { kind: 'other', action: entry.action };
  }
}
