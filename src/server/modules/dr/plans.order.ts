/**
 * The recovery order of a service's scope, from the CMDB's relationships: what an item needs is recovered before
 * it. Items that need each other (a cycle) cannot be ordered by the relationships: they are flagged, and ordered
 * by a person's choice when the plan has one for every member, else by name until someone chooses.
 */
import type { ScopeEdge, ScopeItem } from '../cmdb/index.js';

/** An item in recovery order. */
export interface OrderedItem {
  item: ScopeItem;
  /** 1-based position in the order. */
  position: number;
  /** Items of the same wave need nothing of each other: they can be recovered side by side. */
  wave: number;
  /** The items this one needs (ids), recovered before it unless they share its cycle. */
  needs: string[];
  /** The index of the cycle this item is part of (into `cycles`), or null. */
  cycle: number | null;
}

/** Items that need each other, directly or through one another. */
export interface Cycle {
  items: ScopeItem[];
  /** Whether a person ordered every member (then the order within the cycle is theirs). */
  ordered: boolean;
}

/** The order and the cycles found. */
export interface RecoveryOrder {
  order: OrderedItem[];
  cycles: Cycle[];
}

const byName = (a: ScopeItem, b: ScopeItem) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/**
 * Strongly connected components of the "needs" graph (Tarjan, iterative so that a long chain cannot overflow
 * the stack). A component is emitted only after every component it reaches: needs come first.
 */
function components(ids: readonly string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      const succ = next.get(v) ?? [];
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}

/**
 * Orders `items` so that each comes after what it needs (`edges`: from needs to). Waves number the layers; within
 * a wave items go by name. `manual` holds a person's positions for items of cycles.
 */
export function recoveryOrderOf(
  items: readonly ScopeItem[],
  edges: readonly ScopeEdge[],
  manual: ReadonlyMap<string, number>,
): RecoveryOrder {
  const byId = new Map(items.map((i) => [i.id, i]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.fromId === e.toId || !byId.has(e.fromId) || !byId.has(e.toId)) continue;
    const list = next.get(e.fromId) ?? [];
    if (!list.includes(e.toId)) list.push(e.toId);
    next.set(e.fromId, list);
  }
  const sorted = [...items].sort(byName).map((i) => i.id);
  const comps = components(sorted, next);
  const compOf = new Map<string, number>();
  comps.forEach((c, n) => c.forEach((id) => compOf.set(id, n)));
  // Components come needs-first, so every component a component needs already has its wave.
  const waves: number[] = [];
  comps.forEach((c, n) => {
    let wave = 1;
    for (const id of c)
      for (const w of next.get(id) ?? []) {
        const m = compOf.get(w)!;
        if (m !== n) wave = Math.max(wave, waves[m]! + 1);
      }
    waves[n] = wave;
  });
  const cycles: Cycle[] = [];
  const cycleOf = new Map<number, number>();
  const members = comps.map((c, n) => {
    const list = c.map((id) => byId.get(id)!).sort(byName);
    if (list.length < 2) return list;
    const ordered = list.every((i) => manual.has(i.id));
    if (ordered) list.sort((a, b) => manual.get(a.id)! - manual.get(b.id)! || byName(a, b));
    cycleOf.set(n, cycles.length);
    cycles.push({ items: list, ordered });
    return list;
  });
  const compOrder = comps
    .map((_, n) => n)
    .sort((a, b) => waves[a]! - waves[b]! || byName(members[a]![0]!, members[b]![0]!));
  const order: OrderedItem[] = [];
  for (const n of compOrder)
    for (const item of members[n]!)
      order.push({
        item,
        position: order.length + 1,
        wave: waves[n]!,
        needs: next.get(item.id) ?? [],
        cycle: cycleOf.get(n) ?? null,
      });
  // Cycles numbered in the order they are recovered.
  const renumber = new Map<number, number>();
  for (const o of order) if (o.cycle !== null && !renumber.has(o.cycle)) renumber.set(o.cycle, renumber.size);
  for (const o of order) if (o.cycle !== null) o.cycle = renumber.get(o.cycle)!;
  const renumbered: Cycle[] = [];
  for (const [old, now] of renumber) renumbered[now] = cycles[old]!;
  return { order, cycles: renumbered };
}
