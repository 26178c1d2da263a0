import { z } from 'zod';
import { Line, PageQuery, pageOf } from './common.js';

/** The facts Steward produces itself that a control's evidence can come from. */
export const EvidenceSource = z.enum([
  'backup_success',
  'dr_drills',
  'approved_changes',
  'inventory_coverage',
  'access_reviews',
  'audit_chain',
]);
export type EvidenceSource = z.infer<typeof EvidenceSource>;

const days = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const percent = (dflt: number) => z.number().min(0).max(100).default(dflt);
const effectiveFrom = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/**
 * POST /api/v1/compliance/controls/:id/mappings: an evidence query and its pass rule, in force from a date.
 * backup_success: of the backups run in the last `days`, at least `minPercent` succeeded (and there was one);
 * dr_drills: a drill passed in the last `days` and none failed; approved_changes: every change carried out in
 * the last `days` was approved; inventory_coverage: an agent reported at least `minPercent` of the deployed
 * computers in the last `days`; access_reviews: a review closed in the last `days` and none is overdue;
 * audit_chain: the audit hash chain verifies.
 */
export const AddMapping = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('backup_success'),
    params: z
      .strictObject({ days: days(365, 7), minPercent: percent(95) })
      .default({ days: 7, minPercent: 95 }),
    effectiveFrom,
  }),
  z.strictObject({
    source: z.literal('dr_drills'),
    params: z.strictObject({ days: days(730, 365) }).default({ days: 365 }),
    effectiveFrom,
  }),
  z.strictObject({
    source: z.literal('approved_changes'),
    params: z.strictObject({ days: days(365, 30) }).default({ days: 30 }),
    effectiveFrom,
  }),
  z.strictObject({
    source: z.literal('inventory_coverage'),
    params: z
      .strictObject({ days: days(365, 7), minPercent: percent(90) })
      .default({ days: 7, minPercent: 90 }),
    effectiveFrom,
  }),
  z.strictObject({
    source: z.literal('access_reviews'),
    params: z.strictObject({ days: days(730, 180) }).default({ days: 180 }),
    effectiveFrom,
  }),
  z.strictObject({
    source: z.literal('audit_chain'),
    params: z.strictObject({}).default({}),
    effectiveFrom,
  }),
]);
export type AddMapping = z.infer<typeof AddMapping>;

/** One piece of evidence: a collected result (frozen) or an uploaded file. */
export const ComplianceEvidence = z.object({
  id: z.uuid(),
  kind: z.enum(['collected', 'upload']),
  source: EvidenceSource.nullable(),
  /** Collected evidence: whether the pass rule held; uploads: null. */
  passed: z.boolean().nullable(),
  summary: z.string(),
  sha256: z.string(),
  by: z.string(),
  at: z.string(),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  size: z.number().int().nullable(),
  /** Where the file (uploads) or the collected result as JSON is downloaded. */
  downloadUrl: z.string(),
});
export type ComplianceEvidence = z.infer<typeof ComplianceEvidence>;

/** GET /api/v1/compliance/controls/:id/evidence: newest first. */
export const ComplianceEvidencePage = pageOf(ComplianceEvidence);
export type ComplianceEvidencePage = z.infer<typeof ComplianceEvidencePage>;
export const ComplianceEvidenceQuery = PageQuery;

/** An evidence query mapped to a control, with its latest result. */
export const ComplianceMapping = z.object({
  id: z.uuid(),
  source: EvidenceSource,
  params: z.record(z.string(), z.number()),
  effectiveFrom: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  latest: ComplianceEvidence.nullable(),
});
export type ComplianceMapping = z.infer<typeof ComplianceMapping>;

/** A control of a framework, with its place in the statement of applicability. */
export const ComplianceControl = z.object({
  id: z.uuid(),
  frameworkId: z.uuid(),
  frameworkName: z.string(),
  ref: z.string(),
  section: z.string(),
  title: z.string(),
  /** The full text, when an admin imported one they are licensed for. */
  body: z.string().nullable(),
  applicable: z.boolean().nullable(),
  justification: z.string(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  reviewMonths: z.number().int().nullable(),
  nextReview: z.string().nullable(),
  reviewOverdue: z.boolean(),
  /** none: no evidence query in force; green: all pass; red: one fails. */
  status: z.enum(['none', 'green', 'red']),
  statusSince: z.string().nullable(),
  version: z.number().int(),
  /** Whether the caller may edit it (applicability, owner, mappings). */
  canManage: z.boolean(),
  mappings: z.array(ComplianceMapping),
});
export type ComplianceControl = z.infer<typeof ComplianceControl>;

/** GET /api/v1/compliance/frameworks/:id/controls. */
export const ComplianceControlList = z.object({ items: z.array(ComplianceControl) });
export type ComplianceControlList = z.infer<typeof ComplianceControlList>;

/** PATCH /api/v1/compliance/controls/:id: applicability (with its reason), owner, review cycle. */
export const UpdateControl = z
  .strictObject({
    version: z.number().int().min(1),
    applicable: z.boolean().nullable().optional(),
    justification: z.string().trim().max(2000).optional(),
    ownerId: z.uuid().nullable().optional(),
    reviewMonths: z.number().int().min(1).max(36).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 1, 'change at least one field');
export type UpdateControl = z.infer<typeof UpdateControl>;

/** A framework with how far its statement of applicability and evidence got. */
export const ComplianceFramework = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  fullText: z.boolean(),
  controls: z.number().int(),
  applicable: z.number().int(),
  excluded: z.number().int(),
  undecided: z.number().int(),
  green: z.number().int(),
  red: z.number().int(),
  updatedAt: z.string(),
});
export type ComplianceFramework = z.infer<typeof ComplianceFramework>;

/** GET /api/v1/compliance/frameworks: the imported ones, and the control sets Steward ships. */
export const ComplianceFrameworkList = z.object({
  items: z.array(ComplianceFramework),
  catalogue: z.array(z.object({ key: z.string(), name: z.string(), controls: z.number().int() })),
});
export type ComplianceFrameworkList = z.infer<typeof ComplianceFrameworkList>;

/** POST /api/v1/compliance/frameworks: loads a control set Steward ships (short titles in our words). */
export const ImportBuiltin = z.strictObject({ key: Line(64) });
export type ImportBuiltin = z.infer<typeof ImportBuiltin>;

/**
 * POST /api/v1/compliance/import (application/octet-stream): a control set as JSON
 * (`{"framework":{"key","name"},"controls":[{"ref","title","section"?,"text"?}]}`) or CSV (header
 * `ref,title,section,text`; the framework's `key` and `name` in the query). All or nothing.
 */
export const ImportQuery = z.strictObject({
  format: z.enum(['json', 'csv']),
  key: z.string().max(64).optional(),
  name: z.string().max(200).optional(),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** What an import did. */
export const ImportResult = z.object({
  framework: ComplianceFramework,
  added: z.number().int(),
  updated: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** GET /api/v1/compliance/frameworks/:id/export: the audit export of a period (dates, both included). */
export const ExportQuery = z
  .strictObject({
    from: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }),
    to: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export type ExportQuery = z.infer<typeof ExportQuery>;

/** What `steward audit verify-export` found. */
export const ExportVerification = z.object({
  ok: z.boolean(),
  framework: z.string().nullable(),
  period: z.string().nullable(),
  checked: z.number().int(),
  problems: z.array(z.string()),
});
export type ExportVerification = z.infer<typeof ExportVerification>;
