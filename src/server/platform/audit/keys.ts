import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MasterKey } from '../master-key.js';

/** The audit trail's keys, derived from the master key; none of them is ever stored in the database. */
export interface ChainKeys {
  /** Keys the chain links and the chain head (HMAC-SHA256). */
  chain: Buffer;
  /** Signs the checkpoints published outside the database. */
  checkpoint: Buffer;
  /** Names the key in the database (a MAC of a constant): a process with another master key refuses to seal. */
  id: string;
}

/** Derives the audit trail's keys (HKDF with their own purpose labels, so the master key is never used as is). */
export function chainKeys(master: MasterKey): ChainKeys {
  const chain = master.derive('audit-chain');
  return {
    chain,
    checkpoint: master.derive('audit-checkpoint'),
    id: createHmac('sha256', master.derive('audit-key-id'))
      .update('steward audit key')
      .digest('hex')
      .slice(0, 16),
  };
}

/** Constant-time comparison of two hex MACs (false for a missing one). */
export function sameMac(a: string | null | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
