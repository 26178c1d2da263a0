import { AppError } from './errors.js';
import { isWellFormedText } from './wellformed.js';

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The type of one part of a keyset cursor, as the list's SQL casts it: `text` (well-formed, at most 400
 * characters), `uuid`, `timestamp` (ISO 8601 UTC with microseconds, a real date), `smallint`, `integer` and
 * `bigint` (a digit string: int8 arrives as text), `real` (a float4), or a literal the part must equal (the
 * sort and direction a cursor was made for).
 */
export type CursorPart =
  'text' | 'uuid' | 'timestamp' | 'smallint' | 'integer' | 'bigint' | 'real' | { literal: string };

/** The decoded value of a part: a number for the numeric SQL types, else a string. */
type PartValue<P> = P extends 'smallint' | 'integer' | 'real' ? number : string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MICROS = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BIGINT_MAX = 9223372036854775807n;

const intIn = (v: unknown, bits: number) =>
  Number.isSafeInteger(v) && Math.abs(v as number) <= 2 ** (bits - 1) - ((v as number) > 0 ? 1 : 0);

/** A real calendar instant PostgreSQL takes (no month 13, no 30 February, no year 0). */
function isTimestamp(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = ISO_MICROS.exec(v);
  if (!m || Number(m[1]) < 1) return false;
  const d = new Date(`${v.slice(0, 19)}Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19);
}

/** Whether `v` is a value of type `part`, so that the SQL cast of the list cannot fail. */
function fits(part: CursorPart, v: unknown): boolean {
  if (typeof part === 'object') return v === part.literal;
  switch (part) {
    case 'text':
      return typeof v === 'string' && v.length <= 400 && isWellFormedText(v);
    case 'uuid':
      return typeof v === 'string' && UUID.test(v);
    case 'timestamp':
      return isTimestamp(v);
    case 'smallint':
      return intIn(v, 16);
    case 'integer':
      return intIn(v, 32);
    case 'bigint':
      return typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= BIGINT_MAX;
    case 'real':
      // float4 refuses both overflow and underflow (PostgreSQL errors rather than rounding to 0 or Infinity).
      return typeof v === 'number' && (v === 0 || (Math.abs(v) >= 1.2e-38 && Math.abs(v) <= 3.4e38));
  }
}

/** The keyset of the lists sorted by name: [lower(name), id]. */
export const BY_NAME = ['text', 'uuid'] as const;

/** 400 `invalid_cursor`: not a cursor this list made. */
export const InvalidCursor = () =>
  new AppError(400, 'invalid_cursor', 'Invalid cursor', 'the cursor was not made by this list', [
    { path: 'query.cursor', message: 'not a cursor from this list; start again without one' },
  ]);

/**
 * Decodes a cursor made by {@link encodeCursor} for a list whose keyset has the types `parts`: every part is
 * checked against its SQL type, so a forged cursor (month 13, a number out of range, an id that is not a UUID)
 * is a 400 `invalid_cursor` here instead of a failed cast in the database.
 */
export function decodeCursor<const P extends readonly CursorPart[]>(
  cursor: string | undefined,
  parts: P,
): { -readonly [K in keyof P]: PartValue<P[K]> } | undefined {
  if (cursor === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw InvalidCursor();
  }
  if (!Array.isArray(v) || v.length !== parts.length || !parts.every((p, i) => fits(p, v[i]))) {
    throw InvalidCursor();
  }
  return v as { -readonly [K in keyof P]: PartValue<P[K]> };
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
