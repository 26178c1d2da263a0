/**
 * RPM version ordering: `[epoch:]version-release` (EVR), each of version and release compared by rpmvercmp:
 * alphanumeric segments separated by anything else, digits as numbers and newer than letters, `~` sorting
 * before everything (even the end) and `^` after the end but before anything else.
 */
import { splitEpoch } from './split.js';

/** An EVR split into its parts (a missing epoch is 0). */
export interface Evr {
  epoch: number;
  version: string;
  release: string;
}

/** Splits `[epoch:]version[-release]`; null when empty or the epoch is not a number. */
export function parseEvr(v: string): Evr | null {
  const parts = splitEpoch(v);
  if (!parts || parts.main === '') return null;
  return { epoch: parts.epoch, version: parts.main, release: parts.tail ?? '' };
}

const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** rpmvercmp: compares one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !alnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !alnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = digit(a[i]);
    const take = (s: string, k: number) => {
      let e = k;
      while (e < s.length && (numeric ? digit(s[e]) : /[A-Za-z]/.test(s[e]!))) e++;
      return e;
    };
    const ie = take(a, i);
    const je = take(b, j);
    let sa = a.slice(i, ie);
    let sb = b.slice(j, je);
    // A segment of the other kind: numbers are newer than letters.
    if (sb === '') return numeric ? 1 : -1;
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ie;
    j = je;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** Compares two EVRs: negative, zero or positive. A release absent on either side is not compared. */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (!x) throw new Error(`not an RPM version: ${a}`);
  if (!y) throw new Error(`not an RPM version: ${b}`);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0 || x.release === '' || y.release === '') return v;
  return rpmvercmp(x.release, y.release);
}
