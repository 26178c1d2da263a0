import type { Category } from '@contracts';

/** The categories in tree order, each with its depth (children follow their parent, by name). */
export function flattenTree(categories: readonly Category[]): { category: Category; depth: number }[] {
  const children = new Map<string | null, Category[]>();
  const ids = new Set(categories.map((c) => c.id));
  for (const c of categories) {
    // an orphan (its parent beyond the 200 fetched) is shown at the top level rather than lost
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: { category: Category; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const c of list) {
      out.push({ category: c, depth });
      if (depth < 20) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
