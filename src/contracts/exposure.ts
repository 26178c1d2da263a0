import { z } from 'zod';
import { PageQuery, pageOf } from './common.js';

/** Advisory severities, worst first (from the CVSS v3 base score, else the distribution's own word). */
export const EXPOSURE_SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export const ExposureSeverity = z.enum(EXPOSURE_SEVERITIES);
export type ExposureSeverity = z.infer<typeof ExposureSeverity>;

/** What an import of OSV advisories did (POST /api/v1/exposure/imports, a zip archive as the body). */
export const AdvisoryImport = z.object({
  files: z.number().int(),
  stored: z.number().int(),
  unchanged: z.number().int(),
  packages: z.number().int(),
  opened: z.number().int(),
  closed: z.number().int(),
});
export type AdvisoryImport = z.infer<typeof AdvisoryImport>;

/** GET /api/v1/exposures: open (default) or closed exposures, worst severity and soonest due first. */
export const ExposureQuery = PageQuery.extend({
  severity: ExposureSeverity.optional(),
  computerId: z.uuid().optional(),
  status: z.enum(['open', 'closed']).default('open'),
});
export type ExposureQuery = z.infer<typeof ExposureQuery>;

/** One computer's source package affected by one advisory. */
export const Exposure = z.object({
  id: z.uuid(),
  advisory: z.object({
    id: z.string(),
    summary: z.string(),
    aliases: z.array(z.string()),
    cvssScore: z.number().nullable(),
  }),
  severity: ExposureSeverity,
  computer: z.object({ id: z.uuid(), name: z.string() }),
  ecosystem: z.string(),
  package: z.string(),
  installedVersion: z.string(),
  fixedVersion: z.string().nullable(),
  openedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  closedAt: z.string().nullable(),
  closedVersion: z.string().nullable(),
  /**
   * The remediation tickets of this advisory for the business services that depend on this computer (one per
   * service), those the caller may see; `resolved` once no computer of the service is exposed any more.
   */
  tickets: z.array(z.object({ id: z.uuid(), key: z.string(), service: z.string(), resolved: z.boolean() })),
});
export type Exposure = z.infer<typeof Exposure>;
export const ExposureList = pageOf(Exposure);

/** GET /api/v1/exposure/services: each business service's open exposures by severity. */
export const ServiceExposure = z.object({
  service: z.object({ id: z.uuid(), name: z.string() }),
  computers: z.number().int(),
  open: z.record(ExposureSeverity, z.number().int()),
  overdue: z.number().int(),
});
export const ServiceExposureList = z.object({ items: z.array(ServiceExposure) });

/** GET/PUT /api/v1/exposure/sla (admins write): days to fix an exposure of each severity. */
export const ExposureSla = z.strictObject({
  critical: z.number().int().min(1).max(3650),
  high: z.number().int().min(1).max(3650),
  medium: z.number().int().min(1).max(3650),
  low: z.number().int().min(1).max(3650),
  unknown: z.number().int().min(1).max(3650),
});
export type ExposureSla = z.infer<typeof ExposureSla>;
