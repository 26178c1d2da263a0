// The category picker shows the admin-edited tree in order: parents before children, siblings by name.
import { describe, expect, it } from 'vitest';
import type { Category } from '@contracts';
import { flattenTree } from './categoryTree';

let n = 0;
function cat(name: string, parentId: string | null = null): Category {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { id, parentId, name, description: '', createdAt: '', updatedAt: '', version: 1 };
}

describe('flattenTree', () => {
  it('puts children under their parent, siblings by name, with depths', () => {
    const software = cat('Software');
    const hardware = cat('Hardware');
    const printers = cat('Printers', hardware.id);
    const laptops = cat('Laptops', hardware.id);
    const batteries = cat('Batteries', laptops.id);
    const out = flattenTree([printers, software, batteries, hardware, laptops]);
    expect(out.map(({ category, depth }) => `${depth}:${category.name}`)).toEqual([
      '0:Hardware',
      '1:Laptops',
      '2:Batteries',
      '1:Printers',
      '0:Software',
    ]);
  });

  it('shows a category whose parent was not fetched at the top level instead of losing it', () => {
    const orphan = cat('Orphan', '00000000-0000-4000-8000-999999999999');
    expect(flattenTree([orphan]).map((x) => [x.category.name, x.depth])).toEqual([['Orphan', 0]]);
  });

  it('returns nothing for no categories', () => {
    expect(flattenTree([])).toEqual([]);
  });
});
