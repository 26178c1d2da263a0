import { z } from 'zod';
import { pageOf, PageQuery } from './common.js';

/** One audit entry: who did what to which entity, with the changed fields before and after. */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  seq: z.string().nullable(),
  hash: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = PageQuery.extend({
  actorId: z.uuid().optional(),
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditPage = pageOf(AuditEntry);

/**
 * A page of the audit log, with `names`: what people call the ids the page mentions (the actors, the entities
 * and the ids among the values): a person's name, a team's, a ticket's key (INC-42), an item's name.
 */
export const AuditLogPage = pageOf(AuditEntry).extend({ names: z.record(z.string(), z.string()) });
export type AuditLogPage = z.infer<typeof AuditLogPage>;

/** What kind of problem verification found. */
export const AuditProblemKind = z.enum([
  'missing',
  'broken_link',
  'modified',
  'head',
  'truncated',
  'diverged',
  'refused',
  'checkpoint',
]);
export type AuditProblemKind = z.infer<typeof AuditProblemKind>;

/** Result of verifying the hash chain. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  /** intact; tampered (an entry or the head altered, entries refused); truncated (newest entries deleted). */
  status: z.enum(['intact', 'tampered', 'truncated']),
  checked: z.number().int(),
  unsealed: z.number().int(),
  /** Entries sealed before the chain was keyed: their links can be recomputed by anyone with database access. */
  legacy: z.number().int(),
  /** The checkpoints compared with the chain (from a file kept outside the database), or null without one. */
  checkpoints: z
    .object({ file: z.string(), valid: z.number().int(), latestSeq: z.string().nullable() })
    .nullable(),
  problems: z.array(
    z.object({
      seq: z.string().nullable(),
      id: z.string().nullable(),
      kind: AuditProblemKind,
      problem: z.string(),
    }),
  ),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
