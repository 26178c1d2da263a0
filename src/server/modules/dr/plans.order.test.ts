import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScopeEdge, ScopeItem } from '../cmdb/index.js';
import { recoveryOrderOf } from './plans.order.js';

const item = (name: string): ScopeItem => ({
  id: name,
  name,
  kind: 'computer',
  className: 'Server',
  status: 'deployed',
  version: 1,
});
const edge = (fromId: string, toId: string): ScopeEdge => ({
  id: `${fromId}>${toId}`,
  fromId,
  toId,
  type: 'depends_on',
});
const names = (r: ReturnType<typeof recoveryOrderOf>) => r.order.map((o) => o.item.name);

describe('recovery order', () => {
  it('puts what an item needs first, in waves, by name within a wave', () => {
    const items = ['svc', 'app', 'db', 'host', 'dns'].map(item);
    const r = recoveryOrderOf(
      items,
      [edge('svc', 'app'), edge('app', 'db'), edge('db', 'host'), edge('app', 'dns')],
      new Map(),
    );
    expect(names(r)).toEqual(['dns', 'host', 'db', 'app', 'svc']);
    expect(r.order.map((o) => o.wave)).toEqual([1, 1, 2, 3, 4]);
    expect(r.cycles).toEqual([]);
  });

  it('flags a cycle, keeps its members together, and follows a person’s order for them', () => {
    const items = ['svc', 'a', 'b', 'c', 'base'].map(item);
    const edges = [
      edge('svc', 'a'),
      edge('a', 'b'),
      edge('b', 'c'),
      edge('c', 'a'),
      edge('c', 'base'),
      edge('a', 'a'),
    ];
    const r = recoveryOrderOf(items, edges, new Map());
    expect(names(r)).toEqual(['base', 'a', 'b', 'c', 'svc']);
    expect(r.cycles).toEqual([{ items: ['a', 'b', 'c'].map(item), ordered: false }]);
    expect(r.order.map((o) => o.cycle)).toEqual([null, 0, 0, 0, null]);
    const partly = recoveryOrderOf(items, edges, new Map([['c', 1]]));
    expect(partly.cycles[0]!.ordered).toBe(false);
    const chosen = recoveryOrderOf(
      items,
      edges,
      new Map([
        ['c', 1],
        ['a', 2],
        ['b', 3],
      ]),
    );
    expect(names(chosen)).toEqual(['base', 'c', 'a', 'b', 'svc']);
    expect(chosen.cycles[0]!.ordered).toBe(true);
  });

  it('orders every acyclic graph so that each edge points backwards, and handles a long chain', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 40 }),
        (n, pairs) => {
          const items = Array.from({ length: n }, (_, i) => item(`n${String(i).padStart(2, '0')}`));
          // Only edges from a higher to a lower index: no cycles.
          const edges = pairs
            .filter(([a, b]) => a < n && b < n && a > b)
            .map(([a, b]) => edge(items[a]!.id, items[b]!.id));
          const r = recoveryOrderOf(items, edges, new Map());
          const pos = new Map(r.order.map((o) => [o.item.id, o]));
          expect(r.order).toHaveLength(n);
          expect(r.cycles).toEqual([]);
          for (const e of edges) {
            expect(pos.get(e.toId)!.position).toBeLessThan(pos.get(e.fromId)!.position);
            expect(pos.get(e.toId)!.wave).toBeLessThan(pos.get(e.fromId)!.wave);
          }
        },
      ),
    );
    const chain = Array.from({ length: 20_000 }, (_, i) => item(`c${i}`));
    const links = chain.slice(1).map((c, i) => edge(c.id, chain[i]!.id));
    const r = recoveryOrderOf(chain, links, new Map());
    expect(r.order[0]!.item.id).toBe('c0');
    expect(r.order.at(-1)!).toMatchObject({ wave: 20_000 });
  });
});
