import type { Category } from '@contracts';
import { flattenTree } from '../tickets/categoryTree';

/** `<option>`s for every category in tree order, indented by depth; `except` (and nothing else) left out. */
export function CategoryOptions({
  categories,
  except,
}: {
  categories: readonly Category[];
  except?: string;
}) {
  return flattenTree(categories)
    .filter(({ category }) => category.id !== except)
    .map(({ category, depth }) => (
      <option key={category.id} value={category.id}>
        {`${'\u00a0\u00a0'.repeat(depth)}${category.name}`}
      </option>
    ));
}
