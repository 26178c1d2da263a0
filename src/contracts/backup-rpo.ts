/** Recovery point monitoring (issue 22, item 6): business services' worst RPO and what agents count as changed. */
import { z } from 'zod';
import { DeviceBackupStatus } from './backup.js';

/** What an agent counted between runs: files changed under its policy's folders since its last good snapshot. */
export const ReportBackupChanges = z.strictObject({
  /** The snapshot time counted from; null when the agent knows of no good snapshot (every file counts). */
  since: z.iso.datetime({ offset: true }).nullable(),
  files: z.number().int().min(0).max(1e12),
  countedAt: z.iso.datetime({ offset: true }),
});
export type ReportBackupChanges = z.infer<typeof ReportBackupChanges>;

/** A business service's recovery point: the worst of the computers it depends on, directly or not. */
export const ServiceBackupStatus = z.object({
  ciId: z.uuid(),
  name: z.string(),
  /** How many computers in use it depends on. */
  devices: z.number().int(),
  /** The state of its worst device ('no_policy' too when it depends on none). */
  state: DeviceBackupStatus.shape.state,
  /** The worst device, or null when it depends on none. */
  worst: z
    .object({
      ciId: z.uuid(),
      name: z.string(),
      atRiskMinutes: z.number().int().nullable(),
      rpoTargetMinutes: z.number().int().nullable(),
      risk: z.number().nullable(),
    })
    .nullable(),
  /** Devices in breach, never backed up, or with an open backup incident. */
  atRisk: z.number().int(),
});
export type ServiceBackupStatus = z.infer<typeof ServiceBackupStatus>;

export const ServicesBackupStatus = z.object({ services: z.array(ServiceBackupStatus) });
export type ServicesBackupStatus = z.infer<typeof ServicesBackupStatus>;

/** One service with each computer it depends on, riskiest first. */
export const ServiceBackupDetail = ServiceBackupStatus.extend({ dependencies: z.array(DeviceBackupStatus) });
export type ServiceBackupDetail = z.infer<typeof ServiceBackupDetail>;
