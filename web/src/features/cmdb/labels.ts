// Display names of the CMDB's enums (lifecycle states, class families, relationship types), in the user's
// language: each takes the translate function of useT().
import type { CiKind, CiStatus, RelationshipType } from '@contracts';
import type { Translate } from '../../i18n';

/** Every lifecycle state, in lifecycle order (for pickers). */
export const STATUSES: CiStatus[] = ['ordered', 'in_stock', 'deployed', 'in_repair', 'retired', 'disposed'];

/** A lifecycle state's name ("In stock"). */
export function statusLabel(t: Translate, status: CiStatus): string {
  return t(`cmdb.status.${status}`);
}

/** Every family of classes (for pickers). */
export const KINDS: CiKind[] = [
  'computer',
  'peripheral',
  'network',
  'storage',
  'software_product',
  'software_installation',
  'licence',
  'service',
  'credential',
  'location',
  'vendor',
  'contract',
];

/** A family's name ("Network device"). */
export function kindLabel(t: Translate, kind: CiKind): string {
  return t(`cmdb.kind.${kind}`);
}

/** Every relationship type (for pickers). */
export const RELATIONSHIP_TYPES: RelationshipType[] = [
  'depends_on',
  'runs_on',
  'installed_on',
  'connected_to',
  'used_by',
  'backs_up',
  'covered_by',
];

/**
 * A relationship type read forwards ("depends on": this item depends on that one) or backwards ("is needed
 * by"); an unknown type as it is.
 */
export function relationshipLabel(t: Translate, type: string, direction: 'out' | 'in' = 'out'): string {
  const known = RELATIONSHIP_TYPES.find((r) => r === type);
  if (known === undefined) return type;
  return direction === 'out' ? t(`cmdb.rel.${known}.out`) : t(`cmdb.rel.${known}.in`);
}

/** The CSS tone of a lifecycle state's pill. */
export function statusTone(status: CiStatus): 'success' | 'danger' | 'primary' | undefined {
  switch (status) {
    case 'deployed':
      return 'success';
    case 'in_repair':
      return 'danger';
    case 'ordered':
    case 'in_stock':
      return 'primary';
    case 'retired':
    case 'disposed':
      return undefined;
  }
}
