/**
 * How discovery records software changes: one audit entry per report on the computer
 * (`ci.software_changed`), listing the installations added, reinstalled and removed, rather than an entry
 * per installation (a new machine's first report would write 1,500). An installation's own history is its
 * own entries plus its computer's software entries, each narrowed to the part about it.
 */
import type { AuditEntry } from '../../../contracts/index.js';

/** The action of a computer's software-change entry. */
export const SOFTWARE_CHANGED = 'ci.software_changed';

/** An installation as a software-change entry names it. */
export interface InstallationRef {
  id: string;
  product: string;
  version: string;
}

/** The three lists of a software-change entry. */
export const CHANGE_KINDS = ['added', 'reinstalled', 'removed'] as const;
export type SoftwareChange = Record<(typeof CHANGE_KINDS)[number], InstallationRef[]>;

/** The `contains` patterns that find the software-change entries naming installation `id`. */
export const mentioning = (id: string) => CHANGE_KINDS.map((k) => ({ [k]: [{ id }] }));

/** A software-change entry reduced to what it says about installation `id` (other entries as they are). */
export function narrowTo(entry: AuditEntry, id: string): AuditEntry {
  if (entry.action !== SOFTWARE_CHANGED || entry.entityId === id) return entry;
  const after: Record<string, unknown> = {};
  for (const k of CHANGE_KINDS) {
    const list = entry.after?.[k];
    if (Array.isArray(list)) {
      const mine = list.filter((x: unknown) => (x as { id?: unknown } | null)?.id === id);
      if (mine.length > 0) after[k] = mine;
    }
  }
  return { ...entry, after };
}
