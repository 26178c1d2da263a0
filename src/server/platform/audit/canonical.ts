import { createHash } from 'node:crypto';

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

/** The chain link: SHA-256 over the previous hash and the entry's canonical form. */
export function entryHash(prevHash: string, e: ChainedFields): string {
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
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);
