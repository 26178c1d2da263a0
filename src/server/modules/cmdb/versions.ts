/**
 * Version ranges of licences, e.g. `16`, `2.x`, `>=3.1 <4`, `*`: a small, strict grammar. A range is a list of
 * space-separated conditions that must all hold: a comparison (`>=`, `>`, `<=`, `<`, `=`) with a version, a
 * wildcard (`2.x`, `2.1.*`), or a bare version, which matches itself and anything under it (`16` matches
 * `16.0.4`). Versions compare by their dot-separated parts, numbers as numbers.
 */

/** Compares two versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-+]/);
  const pb = b.split(/[.\-+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (c !== 0) return c;
  }
  return 0;
}

const COND = /^(>=|<=|>|<|=)?(\d+(?:\.(?:\d+|[xX*]))*)$/;

/** Why a range is not valid, or null. */
export function rangeProblem(range: string): string | null {
  const parts = range.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '*')) return null;
  for (const p of parts) if (!COND.test(p)) return `not a version condition: ${p}`;
  return null;
}

/** Whether `version` lies in `range` (an empty range or `*` holds every version; no version matches only those). */
export function inRange(version: string | null, range: string | null | undefined): boolean {
  const parts = (range ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '*')) return true;
  if (!version) return false;
  return parts.every((p) => {
    const m = COND.exec(p);
    if (!m) return false;
    const [, op, v] = m as unknown as [string, string | undefined, string];
    const base = v.replace(/(\.[xX*])+$/, '');
    if (!op) {
      // A bare version or a wildcard: the same leading parts.
      const want = base.split('.');
      const have = version.split(/[.\-+]/);
      return want.every((w, i) => have[i] !== undefined && compareVersions(have[i], w) === 0);
    }
    const c = compareVersions(version, base);
    switch (op) {
      case '>=':
        return c >= 0;
      case '>':
        return c > 0;
      case '<=':
        return c <= 0;
      case '<':
        return c < 0;
      default:
        return c === 0;
    }
  });
}
