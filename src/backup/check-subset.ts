/**
 * `check --read-data-subset`: which packs to read, in restic's three forms. `n/t` reads group n of t, where a
 * pack's group is its id's first byte modulo t (so t runs, n = 1..t, read every pack once, the same groups
 * restic reads); `x%` reads that share of the packs chosen at random (at least one); a size (`500M`) reads
 * random packs making up about that much of the repository.
 */
import { randomInt } from 'node:crypto';

/** A parsed `--read-data-subset` value. */
export type DataSubset =
  | { kind: 'group'; n: number; of: number }
  | { kind: 'percent'; percent: number }
  | { kind: 'size'; bytes: number };

/** Largest t of `n/t`: groups are taken from one byte of the pack id. */
export const MAX_GROUPS = 256;

/** Thrown for a value restic would refuse, with restic's message. */
export class DataSubsetError extends Error {
  override readonly name = 'DataSubsetError';
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parses `n/t`, `x%` or a size (bytes, or a number with K, M, G or T: powers of 1024) as restic does. */
export function parseDataSubset(v: string): DataSubset {
  const invalid = new DataSubsetError(
    'check flag --read-data-subset has invalid value, please see documentation',
  );
  if (/^\d+(\/\d*)*$/.test(v) && v.includes('/')) {
    const parts = v.split('/');
    if (parts.length !== 2 || parts.some((p) => p === '')) throw invalid;
    const [n, of] = parts.map(Number) as [number, number];
    if (n === 0 || of === 0 || n > of)
      throw new DataSubsetError(
        'check flag --read-data-subset=n/t values must be positive integers, and n <= t, e.g. --read-data-subset=1/2',
      );
    if (of > MAX_GROUPS)
      throw new DataSubsetError(`check flag --read-data-subset=n/t t must be at most ${MAX_GROUPS}`);
    return { kind: 'group', n, of };
  }
  if (v.endsWith('%')) {
    const p = Number(v.slice(0, -1));
    if (v.length < 2 || !Number.isFinite(p)) throw invalid;
    if (p <= 0 || p > 100)
      throw new DataSubsetError('check flag --read-data-subset=x% x must be above 0.0% and at most 100.0%');
    return { kind: 'percent', percent: p };
  }
  const m = /^(\d+(?:\.\d+)?)([bkmgt]?)$/i.exec(v.trim());
  if (!m) throw invalid;
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  if (bytes <= 0) throw new DataSubsetError('check flag --read-data-subset=n n must be above 0');
  return { kind: 'size', bytes };
}

/** The packs (id -> size) to read for `subset`. */
export function selectPacks(packs: ReadonlyMap<string, number>, subset: DataSubset): string[] {
  if (subset.kind === 'group')
    return [...packs.keys()].filter((id) => parseInt(id.slice(0, 2), 16) % subset.of === subset.n - 1);
  let percent = subset.kind === 'percent' ? subset.percent : 0;
  if (subset.kind === 'size') {
    let total = 0;
    for (const s of packs.values()) total += s;
    percent = total > 0 ? (subset.bytes / total) * 100 : 100;
  }
  const ids = [...packs.keys()];
  let count = Math.min(ids.length, Math.floor(ids.length * (percent / 100)));
  if (ids.length > 0 && count < 1) count = 1;
  // A partial Fisher-Yates shuffle: the first `count` entries are a uniform random choice.
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(ids.length - i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, count);
}

/** How restic announces what it reads. */
export function describeSubset(subset: DataSubset, selected: number, total: number): string {
  if (subset.kind === 'group')
    return `read group #${subset.n} of ${selected} data packs (out of total ${total} packs in ${subset.of} groups)`;
  if (subset.kind === 'percent') return `read ${subset.percent.toFixed(1)}% of data packs`;
  return `read ${selected} of ${total} data packs (about ${subset.bytes} bytes)`;
}
