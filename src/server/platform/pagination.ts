import { Invalid } from './errors.js';

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor} with `arity` string/number parts; 400 when it is not one. */
export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === arity &&
      v.every((x) => (typeof x === 'string' && x.length <= 400) || typeof x === 'number')
    ) {
      return v as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw Invalid('invalid cursor', [{ path: 'query.cursor', message: 'not a cursor from this list' }]);
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function pageFrom<R, V>(
  rows: R[],
  limit: number,
  view: (r: R) => V,
  key: (r: R) => (string | number)[],
): { items: V[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(view), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

/** The ETag of a versioned row. */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

/** The version named by an If-Match header, or undefined when absent; NaN when unparseable (always stale). */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"v(\d{1,9})"$/.exec(header.trim());
  return m ? Number(m[1]) : Number.NaN;
}
