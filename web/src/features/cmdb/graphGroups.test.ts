import { describe, expect, it } from 'vitest';
import { GROUP_AT, GROUP_PAGE, foldGraph, pluralName } from './graphGroups';
import type { GraphInput } from './graphLayout';

const node = (id: string, depth: number, classKey = 'software_installation') => ({
  id,
  name: id,
  classKey,
  status: 'deployed',
  depth,
});

/** A computer with `n` installations on it, one service running on it, and a ticket desk depending on it. */
function computer(n: number): GraphInput {
  const apps = Array.from({ length: n }, (_, i) => node(`app-${String(i).padStart(4, '0')}`, 1));
  return {
    root: 'pc',
    nodes: [node('pc', 0, 'server'), ...apps, node('svc', 1, 'service'), node('desk', 2, 'service')],
    edges: [
      ...apps.map((a) => ({ fromId: a.id, type: 'installed_on', toId: 'pc' })),
      { fromId: 'svc', type: 'runs_on', toId: 'pc' },
      { fromId: 'desk', type: 'depends_on', toId: 'svc' },
    ],
  };
}

const nameOf = (classKey: string, count: number, more: boolean) =>
  `${count}${more ? ' more' : ''} ${pluralName(classKey === 'software_installation' ? 'Software installation' : classKey, count)}`;

describe('foldGraph', () => {
  it('folds many installations of one computer into one node joined the same way, and keeps the rest', () => {
    const f = foldGraph(computer(797), new Map(), nameOf);
    const groups = f.nodes.filter((n) => 'group' in n && n.group);
    expect(groups.map((g) => g.name)).toEqual(['797 software installations']);
    expect(f.nodes.map((n) => n.id).sort()).toEqual(['desk', groups[0]!.id, 'pc', 'svc'].sort());
    expect(f.edges).toContainEqual({ fromId: groups[0]!.id, type: 'installed_on', toId: 'pc' });
    expect(f.edges).toHaveLength(3);
    expect([...f.groups.values()]).toEqual([
      { parentId: 'pc', classKey: 'software_installation', total: 797 },
    ]);
  });

  it('leaves a few neighbours as they are', () => {
    const f = foldGraph(computer(GROUP_AT), new Map(), nameOf);
    expect(f.nodes).toHaveLength(GROUP_AT + 3);
    expect(f.groups.size).toBe(0);
  });

  it('opens a page of members at a time, in name order, the rest folded as "more"', () => {
    const key = [...foldGraph(computer(45), new Map(), nameOf).groups.keys()][0]!;
    const one = foldGraph(computer(45), new Map([[key, GROUP_PAGE]]), nameOf);
    const apps = one.nodes.filter((n) => n.id.startsWith('app-')).map((n) => n.id);
    expect(apps).toEqual(Array.from({ length: GROUP_PAGE }, (_, i) => `app-${String(i).padStart(4, '0')}`));
    expect(one.nodes.find((n) => n.id.startsWith('group:'))?.name).toBe('25 more software installations');
    const all = foldGraph(computer(45), new Map([[key, 3 * GROUP_PAGE]]), nameOf);
    expect(all.nodes.filter((n) => n.id.startsWith('group:'))).toHaveLength(0);
    expect(all.nodes).toHaveLength(48);
  });

  it('hides what hangs only off a folded member, and keeps what is also reached another way', () => {
    const base = computer(20);
    const g: GraphInput = {
      root: base.root,
      nodes: [...base.nodes, node('lib', 2, 'library'), node('both', 2, 'library')],
      edges: [
        ...base.edges,
        { fromId: 'lib', type: 'depends_on', toId: 'app-0003' },
        { fromId: 'both', type: 'depends_on', toId: 'app-0004' },
        { fromId: 'both', type: 'depends_on', toId: 'svc' },
      ],
    };
    const ids = foldGraph(g, new Map(), nameOf).nodes.map((n) => n.id);
    expect(ids).not.toContain('lib');
    expect(ids).toContain('both');
  });
});

describe('pluralName', () => {
  it('names a class in the plural, in lower case', () => {
    expect(pluralName('Software installation', 2)).toBe('software installations');
    expect(pluralName('Switch', 3)).toBe('switches');
    expect(pluralName('Policy', 3)).toBe('policies');
    expect(pluralName('Server', 1)).toBe('server');
  });
});
