/**
 * Debian package version ordering, as dpkg does it (deb-version(7)): `[epoch:]upstream[-revision]`. Epochs
 * compare as numbers; upstream and revision compare by alternating runs of non-digits (character by character,
 * letters before non-letters, `~` before everything, even the end of the string) and digits (as numbers).
 */
import { splitEpoch } from './split.js';

/** A dpkg version split into its parts. */
export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits a dpkg version; null when it is not one (empty, a bad epoch, or a character dpkg refuses). */
export function parseDeb(v: string): DebVersion | null {
  const parts = splitEpoch(v, 2_147_483_647);
  if (!parts) return null;
  const { epoch, main: upstream, tail } = parts;
  const revision = tail ?? '';
  if (upstream === '' || !/^\d/.test(upstream)) return null;
  if (!/^[A-Za-z0-9.+~:-]*$/.test(upstream) || !/^[A-Za-z0-9.+~]*$/.test(revision)) return null;
  if (tail === '') return null;
  return { epoch, upstream, revision };
}

/** dpkg's weight of one character of a non-digit run: `~` lowest, then the end, letters, then the rest. */
function order(c: number): number {
  if (c >= 48 && c <= 57) return 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c;
  if (c === 126) return -1;
  if (Number.isNaN(c)) return 0;
  return c + 256;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** dpkg's verrevcmp: compares an upstream version or a revision. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : NaN);
      const bc = order(j < b.length ? b.charCodeAt(j) : NaN);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

// Matching compares the same few thousand versions over and over: parse each once (bounded memo).
const memo = new Map<string, DebVersion | null>();
function parsed(v: string): DebVersion | null {
  let p = memo.get(v);
  if (p === undefined) {
    if (memo.size > 200_000) memo.clear();
    p = parseDeb(v);
    memo.set(v, p);
  }
  return p;
}

/** Compares two dpkg versions: negative, zero or positive. Throws on a string that is not a dpkg version. */
export function compareDeb(a: string, b: string): number {
  const x = parsed(a);
  const y = parsed(b);
  if (!x) throw new Error(`not a Debian version: ${a}`);
  if (!y) throw new Error(`not a Debian version: ${b}`);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  const u = verrevcmp(x.upstream, y.upstream);
  if (u !== 0) return u;
  return verrevcmp(x.revision, y.revision);
}

/** Whether a string is a dpkg version (memoised like the comparison). */
export const validDeb = (v: string): boolean => parsed(v) !== null;
