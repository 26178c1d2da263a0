/**
 * Version ordering per OSV ecosystem: dpkg's for Debian and Ubuntu, rpm's for the Red Hat family and SUSE.
 * Ecosystems named `Name:release…` take the ordering of their name.
 */
import { compareDeb, validDeb } from './dpkg.js';
import { compareRpm, parseEvr } from './rpm.js';

export { compareDeb, parseDeb, verrevcmp } from './dpkg.js';
export { compareRpm, parseEvr, rpmvercmp } from './rpm.js';

/** A version ordering: compare, and whether a string is a version of it. */
export interface Ordering {
  compare(a: string, b: string): number;
  valid(v: string): boolean;
}

const DPKG: Ordering = { compare: compareDeb, valid: validDeb };
const RPM: Ordering = { compare: compareRpm, valid: (v) => parseEvr(v) !== null };

const BY_NAME: Record<string, Ordering> = {
  Debian: DPKG,
  Ubuntu: DPKG,
  'Rocky Linux': RPM,
  AlmaLinux: RPM,
  'Red Hat': RPM,
  openSUSE: RPM,
  SUSE: RPM,
  Mageia: RPM,
  openEuler: RPM,
};

/** The version ordering of an OSV ecosystem (`Debian:12`, `Rocky Linux:9`), or undefined when unsupported. */
export function orderingOf(ecosystem: string): Ordering | undefined {
  const name = ecosystem.split(':')[0] ?? '';
  return BY_NAME[name];
}

/** The ecosystems Steward matches (their names, before the release). */
export const SUPPORTED_ECOSYSTEMS = Object.keys(BY_NAME);
