import { createHash, createHmac } from 'node:crypto';

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The fields of an entry that the chain protects. */
export interface ChainedFields {
  id: string;
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/**
 * The chain link over the previous hash and the entry's canonical form: HMAC-SHA256 with the chain key, or, for
 * `key` null, the plain SHA-256 of entries sealed before the chain was keyed (legacy; anyone can recompute it).
 */
export function entryHash(prevHash: string, e: ChainedFields, key: Buffer | null): string {
  const body = canonicalJson([
    e.id,
    e.seq,
    e.at.toISOString(),
    e.actor_id,
    e.actor_label,
    e.action,
    e.entity_type,
    e.entity_id,
    e.before,
    e.after,
    e.ip,
  ]);
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(prevHash).update('\n').update(body).digest('hex');
}

/** The chain head's fields that its MAC covers. */
export interface HeadFields {
  seq: string;
  hash: string;
  at: Date | null;
  keyed_from: string | null;
}

/** The chain head's MAC: whoever lacks the key can neither rewind the head nor move its time or keyed part. */
export function headMac(key: Buffer, h: HeadFields): string {
  const body = canonicalJson(['head', h.seq, h.hash, h.at?.toISOString() ?? null, h.keyed_from]);
  return createHmac('sha256', key).update(body).digest('hex');
}

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);
