import { describe, expect, it } from 'vitest';
import { SIZES, clip, layoutGraph, sidesOf, type GraphInput } from './graphLayout';

const node = (id: string, depth: number, name = id) => ({
  id,
  name,
  classKey: 'server',
  status: 'deployed',
  depth,
});

// root <- app (app depends_on root) <- web (web depends_on app); db: root depends_on db
const input: GraphInput = {
  root: 'root',
  nodes: [node('root', 0), node('app', 1), node('db', 1), node('web', 2), node('api', 2)],
  edges: [
    { fromId: 'app', type: 'depends_on', toId: 'root' },
    { fromId: 'root', type: 'depends_on', toId: 'db' },
    { fromId: 'web', type: 'depends_on', toId: 'app' },
    { fromId: 'api', type: 'runs_on', toId: 'db' },
  ],
};

describe('layoutGraph', () => {
  it('puts nodes in columns by depth, the root first, and sizes the drawing to hold them', () => {
    const l = layoutGraph(input);
    const col = Object.fromEntries(l.nodes.map((n) => [n.id, n.column]));
    expect(col).toEqual({ root: 0, app: 1, db: 1, web: 2, api: 2 });
    expect(l.nodes.filter((n) => n.isRoot).map((n) => n.id)).toEqual(['root']);
    const { nodeWidth, columnGap, padding } = SIZES;
    expect(l.width).toBe(padding * 2 + 3 * nodeWidth + 2 * columnGap);
    for (const n of l.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(l.width);
      expect(n.y + n.height).toBeLessThanOrEqual(l.height);
    }
  });

  it('never overlaps two boxes', () => {
    const l = layoutGraph(input);
    for (const a of l.nodes)
      for (const b of l.nodes) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} and ${b.id}`).toBe(true);
      }
  });

  it('orders a column by its neighbours nearer the root, so edges do not cross', () => {
    const l = layoutGraph(input);
    const y = Object.fromEntries(l.nodes.map((n) => [n.id, n.y]));
    // app is above db (names), so web (next to app) is above api (next to db), although "api" < "web"
    expect(y.app!).toBeLessThan(y.db!);
    expect(y.web!).toBeLessThan(y.api!);
  });

  it('draws each edge from the facing side of its source box to the facing side of its target', () => {
    const l = layoutGraph(input);
    const byId = new Map(l.nodes.map((n) => [n.id, n]));
    const e = l.edges.find((x) => x.fromId === 'app' && x.toId === 'root')!;
    const app = byId.get('app')!;
    const root = byId.get('root')!;
    // leftwards: from app's left side to root's right side, where the arrow head is drawn
    expect(e.path.startsWith(`M${app.x},${app.y + app.height / 2} `)).toBe(true);
    expect(e.path.endsWith(` ${root.x + root.width},${root.y + root.height / 2}`)).toBe(true);
    expect(e.labelX).toBeGreaterThan(root.x + root.width);
    expect(e.labelX).toBeLessThan(app.x);
  });

  it('with both directions, puts what the root relies on to its left and what relies on it to its right', () => {
    expect(Object.fromEntries(sidesOf(input))).toEqual({ root: 0, app: 1, db: -1, web: 1, api: -1 });
    const l = layoutGraph(input, true);
    const col = Object.fromEntries(l.nodes.map((n) => [n.id, n.column]));
    expect(col).toEqual({ api: 0, db: 1, root: 2, app: 3, web: 4 });
  });

  it('loops an edge between two nodes of one column out to the side, and drops edges to unknown nodes', () => {
    const l = layoutGraph({
      root: 'r',
      nodes: [node('r', 0), node('a', 1), node('b', 1)],
      edges: [
        { fromId: 'a', type: 'connected_to', toId: 'r' },
        { fromId: 'b', type: 'connected_to', toId: 'r' },
        { fromId: 'a', type: 'connected_to', toId: 'b' },
        { fromId: 'a', type: 'connected_to', toId: 'gone' },
      ],
    });
    expect(l.edges).toHaveLength(3);
    const loop = l.edges.find((e) => e.toId === 'b')!;
    const a = l.nodes.find((n) => n.id === 'a')!;
    expect(loop.labelX).toBeGreaterThan(a.x + a.width);
  });

  it('lays out a lone root, and a cycle without looping', () => {
    const lone = layoutGraph({ root: 'r', nodes: [node('r', 0)], edges: [] });
    expect(lone.nodes).toHaveLength(1);
    expect(lone.width).toBe(SIZES.padding * 2 + SIZES.nodeWidth);
    const cycle = layoutGraph(
      {
        root: 'r',
        nodes: [node('r', 0), node('a', 1)],
        edges: [
          { fromId: 'a', type: 'depends_on', toId: 'r' },
          { fromId: 'r', type: 'depends_on', toId: 'a' },
        ],
      },
      true,
    );
    expect(cycle.edges).toHaveLength(2);
  });
});

describe('clip', () => {
  it('keeps short names and cuts long ones with an ellipsis', () => {
    expect(clip('db-01')).toBe('db-01');
    expect(clip('a'.repeat(30), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
