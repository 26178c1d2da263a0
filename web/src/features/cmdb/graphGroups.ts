/**
 * Folds many same-kind neighbours of one item into a single node before the impact graph is laid out: a
 * computer with 797 installations draws as "797 software installations", not 797 boxes. A group opens a page
 * of its members at a time (the rest stay folded as "777 more …"). Pure functions of the API's answer and of
 * which groups are open, so the folding is tested without a browser.
 */
import type { GraphEdge, GraphInput, GraphNode } from './graphLayout';

/** More neighbours than this of one kind, joined to one item the same way, fold into a group. */
export const GROUP_AT = 8;
/** Members a group shows per "show more". */
export const GROUP_PAGE = 20;

/** A node of the folded graph: an item, or a group of items standing for those not shown. */
export interface FoldedNode extends GraphNode {
  /** Set on a group: its key (for opening it), how many items it stands for, how many of them it holds. */
  group?: { key: string; hidden: number; total: number };
}

/** The graph with its large groups folded. */
export interface Folded extends GraphInput {
  nodes: FoldedNode[];
  /** Every group of the answer (open or folded), by key: the neighbour's id and how many members it has. */
  groups: Map<string, { parentId: string; classKey: string; total: number }>;
}

/** English plural of a class name in lower case ("Software installation" → "software installations"). */
export function pluralName(name: string, count: number): string {
  const lower = name.toLowerCase();
  if (count === 1) return lower;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * Each non-root node's group: the first neighbour one step nearer the root it is joined to, the kind of that
 * join (type and direction) and its own class. A node reached through several neighbours counts in one group.
 */
function membership(input: GraphInput): Map<string, { key: string; parentId: string }> {
  const depth = new Map(input.nodes.map((n) => [n.id, n.depth]));
  const cls = new Map(input.nodes.map((n) => [n.id, n.classKey]));
  const out = new Map<string, { key: string; parentId: string }>();
  for (const e of input.edges) {
    for (const [child, parent, dir] of [
      [e.fromId, e.toId, 'in'],
      [e.toId, e.fromId, 'out'],
    ] as const) {
      const d = depth.get(child);
      if (d === undefined || d === 0 || out.has(child) || depth.get(parent) !== d - 1) continue;
      out.set(child, { key: `${parent}|${dir}|${e.type}|${cls.get(child)}`, parentId: parent });
    }
  }
  return out;
}

/** Keeps the nodes joined to the root through kept nodes (a folded member hides what hangs only off it). */
function reachable(root: string, ids: Set<string>, edges: readonly GraphEdge[]): Set<string> {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.fromId) || !ids.has(e.toId)) continue;
    adj.set(e.fromId, [...(adj.get(e.fromId) ?? []), e.toId]);
    adj.set(e.toId, [...(adj.get(e.toId) ?? []), e.fromId]);
  }
  const seen = new Set([root]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const m of adj.get(queue[i]!) ?? []) {
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return seen;
}

/**
 * Folds the graph. `shown` says, per group key, how many members are open (none when absent); members are
 * opened in name order. `nameOf` names a group ("797 software installations"), given its class and count.
 */
export function foldGraph(
  input: GraphInput,
  shown: ReadonlyMap<string, number>,
  nameOf: (classKey: string, count: number, more: boolean) => string,
): Folded {
  const member = membership(input);
  const byKey = new Map<string, GraphNode[]>();
  for (const n of input.nodes) {
    const m = member.get(n.id);
    if (m) byKey.set(m.key, [...(byKey.get(m.key) ?? []), n]);
  }
  const groups: Folded['groups'] = new Map();
  const hidden = new Set<string>();
  const extra: FoldedNode[] = [];
  const extraEdges: GraphEdge[] = [];
  for (const [key, members] of byKey) {
    if (members.length <= GROUP_AT) continue;
    const first = members[0]!;
    const { parentId } = member.get(first.id)!;
    groups.set(key, { parentId, classKey: first.classKey, total: members.length });
    const open = Math.min(members.length, shown.get(key) ?? 0);
    const sorted = [...members].sort((a, b) => a.name.localeCompare(b.name));
    const folded = sorted.slice(open);
    if (folded.length === 0) continue;
    for (const n of folded) hidden.add(n.id);
    const id = `group:${key}`;
    extra.push({
      id,
      name: nameOf(first.classKey, folded.length, open > 0),
      classKey: first.classKey,
      status: '',
      depth: first.depth,
      group: { key, hidden: folded.length, total: members.length },
    });
    const [, dir, type] = key.split('|');
    extraEdges.push(
      dir === 'in'
        ? { fromId: id, type: type!, toId: parentId }
        : { fromId: parentId, type: type!, toId: id },
    );
  }
  const visible = new Set(input.nodes.filter((n) => !hidden.has(n.id)).map((n) => n.id));
  for (const g of extra) visible.add(g.id);
  const edges = [...input.edges, ...extraEdges].filter((e) => visible.has(e.fromId) && visible.has(e.toId));
  const keep = reachable(input.root, visible, edges);
  return {
    root: input.root,
    nodes: [...input.nodes, ...extra].filter((n) => keep.has(n.id)),
    edges: edges.filter((e) => keep.has(e.fromId) && keep.has(e.toId)),
    groups,
  };
}
