import { z } from 'zod';

/** PUT /api/v1/tickets/:id/security: mark a ticket a security incident, or not (admins and security teams). */
export const SetSecurity = z.strictObject({ security: z.boolean() });
export type SetSecurity = z.infer<typeof SetSecurity>;

/** POST /api/v1/tickets/:id/evidence: a note, with the SHA-256 of a piece of evidence or a ticket attachment. */
export const AddEvidence = z
  .strictObject({
    note: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(4000, 'must be at most 4000 characters')
      .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters'),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 in hex (64 characters)')
      .transform((s) => s.toLowerCase())
      .optional(),
    attachmentId: z.uuid({ message: 'must be a UUID' }).optional(),
  })
  .refine((e) => !(e.sha256 && e.attachmentId), {
    message: 'give a hash or an attachment, not both',
    path: ['attachmentId'],
  });
export type AddEvidence = z.infer<typeof AddEvidence>;

/** One entry of the evidence log: append-only, each chained to the one before by `hash`. */
export const EvidenceEntry = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  at: z.string(),
  by: z.string(),
  note: z.string(),
  sha256: z.string().nullable(),
  attachmentId: z.uuid().nullable(),
  fileName: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type EvidenceEntry = z.infer<typeof EvidenceEntry>;

/** GET /api/v1/tickets/:id/evidence: the whole log, oldest first, and whether its chain checks out. */
export const EvidenceLog = z.object({ items: z.array(EvidenceEntry), intact: z.boolean() });
export type EvidenceLog = z.infer<typeof EvidenceLog>;

/** GET /api/v1/tickets/:id/security-timeline?format=json|csv. */
export const TimelineExportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export type TimelineExportQuery = z.infer<typeof TimelineExportQuery>;
