/** A line diff between two texts: the longest common subsequence of their lines, after common ends. */

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

/** Above this many cells the middle is shown as removed then added, rather than matched line by line. */
const MAX_CELLS = 4_000_000;

/** The lines of `b` against those of `a`: kept, removed from `a`, added in `b`, in reading order. */
export function lineDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text) => ({ op: 'same' as const, text }));
  const tail = a.slice(endA).map((text) => ({ op: 'same' as const, text }));
  return [...head, ...middle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function middle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const del = a.map((text) => ({ op: 'del' as const, text }));
  const add = b.map((text) => ({ op: 'add' as const, text }));
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CELLS) return [...del, ...add];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], one row per line of a.
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push({ op: 'del', text: a[i++]! });
    else out.push({ op: 'add', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: 'del', text: a[i++]! });
  while (j < b.length) out.push({ op: 'add', text: b[j++]! });
  return out;
}
