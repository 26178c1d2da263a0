/** Escapes LIKE/ILIKE wildcards (`%`, `_`, `\`) in user input, so it matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
