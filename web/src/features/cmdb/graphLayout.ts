/**
 * Lays out an impact graph for drawing: items in columns by their distance from the root, ordered within a
 * column to keep edges short, and each edge as a curve between the facing sides of its two boxes. Pure
 * functions of the API's answer (no DOM, no React), so the drawing is tested without a browser.
 */

/** A node as the impact API answers it. */
export interface GraphNode {
  id: string;
  name: string;
  classKey: string;
  status: string;
  /** Steps from the root (0 for the root itself). */
  depth: number;
}

/** A directed edge "from <type> to". */
export interface GraphEdge {
  fromId: string;
  type: string;
  toId: string;
}

/** What to lay out. */
export interface GraphInput {
  root: string;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
}

/** A node with its box (top-left corner, size) and column. */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
  column: number;
  isRoot: boolean;
}

/** An edge with its SVG path (ending where the arrow head goes) and where its label sits. */
export interface PlacedEdge extends GraphEdge {
  path: string;
  labelX: number;
  labelY: number;
}

/** A laid-out graph: the drawing's size, its boxes and its curves. */
export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Sizes of the drawing, in SVG user units. */
export const SIZES = { nodeWidth: 176, nodeHeight: 44, columnGap: 112, rowGap: 22, padding: 16 } as const;

/**
 * Which side of the root each node is on when the walk went both ways: -1 for what the root relies on (reached
 * along edges out of it), +1 for what relies on it. A node takes the side of the nearer neighbour it was
 * reached through; the root is 0.
 */
export function sidesOf(input: GraphInput): Map<string, number> {
  const depth = new Map(input.nodes.map((n) => [n.id, n.depth]));
  const side = new Map<string, number>([[input.root, 0]]);
  const byDepth = [...input.nodes].filter((n) => n.id !== input.root).sort((a, b) => a.depth - b.depth);
  for (const n of byDepth) {
    let s: number | undefined;
    for (const e of input.edges) {
      // an edge out of the nearer node into this one: this one is relied on (left); into the nearer: right
      const out = e.toId === n.id ? e.fromId : undefined;
      const into = e.fromId === n.id ? e.toId : undefined;
      const near = out ?? into;
      if (near === undefined || depth.get(near) !== n.depth - 1) continue;
      const nearSide = side.get(near);
      if (nearSide === undefined) continue;
      s = nearSide !== 0 ? nearSide : out !== undefined ? -1 : 1;
      break;
    }
    side.set(n.id, s ?? 1);
  }
  return side;
}

/**
 * Places the graph. Columns go by depth, left to right; with `twoSided` (a walk in both directions) what the
 * root relies on goes to its left and what relies on it to its right. Within a column, nodes are ordered by the
 * mean row of their neighbours in the column nearer the root (fewer crossings), then by name.
 */
export function layoutGraph(input: GraphInput, twoSided = false): Layout {
  const { nodeWidth: W, nodeHeight: H, columnGap: GAP, rowGap: ROW, padding: PAD } = SIZES;
  const known = new Set(input.nodes.map((n) => n.id));
  const edges = input.edges.filter((e) => known.has(e.fromId) && known.has(e.toId));
  const side = twoSided ? sidesOf({ ...input, edges }) : undefined;
  const columnOf = (n: GraphNode) => n.depth * (side?.get(n.id) ?? 1);
  const raw = new Map(input.nodes.map((n) => [n.id, columnOf(n)]));
  const first = Math.min(0, ...raw.values());
  const columns = new Map<number, GraphNode[]>();
  for (const n of input.nodes) {
    const c = raw.get(n.id)! - first;
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.fromId, [...(neighbours.get(e.fromId) ?? []), e.toId]);
    neighbours.set(e.toId, [...(neighbours.get(e.toId) ?? []), e.fromId]);
  }
  const row = new Map<string, number>();
  const rootColumn = -first;
  // order outwards from the root's column, so each column is sorted against one already placed
  const order = [...columns.keys()].sort((a, b) => Math.abs(a - rootColumn) - Math.abs(b - rootColumn));
  for (const c of order) {
    const nodes = columns.get(c)!;
    const score = (n: GraphNode) => {
      const rows = (neighbours.get(n.id) ?? []).map((m) => row.get(m)).filter((r) => r !== undefined);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const sorted = [...nodes].sort((a, b) => score(a) - score(b) || a.name.localeCompare(b.name));
    sorted.forEach((n, i) => row.set(n.id, i));
    columns.set(c, sorted);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((ns) => ns.length));
  const count = columns.size === 0 ? 1 : Math.max(...columns.keys()) + 1;
  const height = PAD * 2 + tallest * H + (tallest - 1) * ROW;
  const width = PAD * 2 + count * W + (count - 1) * GAP;
  const placed = new Map<string, PlacedNode>();
  for (const [c, ns] of columns) {
    const offset = ((tallest - ns.length) * (H + ROW)) / 2;
    ns.forEach((n, i) =>
      placed.set(n.id, {
        ...n,
        x: PAD + c * (W + GAP),
        y: PAD + offset + i * (H + ROW),
        width: W,
        height: H,
        column: c,
        isRoot: n.id === input.root,
      }),
    );
  }
  return {
    width,
    height,
    nodes: input.nodes.map((n) => placed.get(n.id)!),
    edges: edges.map((e) => ({ ...e, ...curve(placed.get(e.fromId)!, placed.get(e.toId)!) })),
  };
}

const r = (v: number) => Math.round(v * 10) / 10;

/** A curve from one box to another: between facing sides, or looping out to the right within a column. */
function curve(a: PlacedNode, b: PlacedNode): { path: string; labelX: number; labelY: number } {
  const ay = a.y + a.height / 2;
  const by = b.y + b.height / 2;
  if (a.column === b.column) {
    const x = a.x + a.width;
    const bend = x + SIZES.columnGap / 2;
    return {
      path: `M${r(x)},${r(ay)} C${r(bend)},${r(ay)} ${r(bend)},${r(by)} ${r(x)},${r(by)}`,
      labelX: r(x + (SIZES.columnGap * 3) / 8),
      labelY: r((ay + by) / 2),
    };
  }
  const forward = a.column < b.column;
  const x1 = forward ? a.x + a.width : a.x;
  const x2 = forward ? b.x : b.x + b.width;
  const mid = (x1 + x2) / 2;
  return {
    path: `M${r(x1)},${r(ay)} C${r(mid)},${r(ay)} ${r(mid)},${r(by)} ${r(x2)},${r(by)}`,
    labelX: r(mid),
    labelY: r((ay + by) / 2),
  };
}

/** A name cut to `max` characters with an ellipsis, for a box of fixed width. */
export function clip(name: string, max = 24): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}
