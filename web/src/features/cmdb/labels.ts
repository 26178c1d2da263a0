// Display names of the CMDB's enums: lifecycle states, class families and relationship types.
import type { CiKind, CiStatus, RelationshipType } from '@contracts';

/** Lifecycle states, in lifecycle order. */
export const STATUS_LABEL: Record<CiStatus, string> = {
  ordered: 'Ordered',
  in_stock: 'In stock',
  deployed: 'Deployed',
  in_repair: 'In repair',
  retired: 'Retired',
  disposed: 'Disposed',
};

/** Every lifecycle state, in lifecycle order (for pickers). */
export const STATUSES = Object.keys(STATUS_LABEL) as CiStatus[];

/** Families of classes. */
export const KIND_LABEL: Record<CiKind, string> = {
  computer: 'Computer',
  peripheral: 'Peripheral',
  network: 'Network device',
  storage: 'Storage or backup',
  software_product: 'Software product',
  software_installation: 'Software installation',
  licence: 'Licence',
  service: 'Service',
  credential: 'Credential record',
  location: 'Location',
  vendor: 'Vendor',
  contract: 'Contract or warranty',
};

/** Every family (for pickers). */
export const KINDS = Object.keys(KIND_LABEL) as CiKind[];

/** A relationship type read forwards ("this item depends on that one") and backwards. */
export const RELATIONSHIP_LABEL: Record<RelationshipType, { out: string; in: string }> = {
  depends_on: { out: 'depends on', in: 'is needed by' },
  runs_on: { out: 'runs on', in: 'runs' },
  installed_on: { out: 'is installed on', in: 'has installed' },
  connected_to: { out: 'is connected to', in: 'is connected from' },
  used_by: { out: 'is used by', in: 'uses' },
  backs_up: { out: 'backs up', in: 'is backed up by' },
  covered_by: { out: 'is covered by', in: 'covers' },
};

/** Every relationship type (for pickers). */
export const RELATIONSHIP_TYPES = Object.keys(RELATIONSHIP_LABEL) as RelationshipType[];

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

/** A relationship type read forwards, for any type name (an unknown one as it is). */
export function relationshipVerb(type: string): string {
  return (RELATIONSHIP_LABEL as Record<string, { out: string } | undefined>)[type]?.out ?? type;
}
