import { z } from 'zod';
import { pageOf } from './common.js';

/** POST /api/v1/agents/enrolment-tokens (admins): a one-time (or few-times) enrolment token. */
export const CreateEnrolmentToken = z.strictObject({
  note: z.string().max(200).default(''),
  uses: z.number().int().min(1).max(10_000).default(1),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});
export type CreateEnrolmentToken = z.infer<typeof CreateEnrolmentToken>;
export const EnrolmentToken = z.object({
  id: z.uuid(),
  token: z.string(),
  usesLeft: z.number().int(),
  expiresAt: z.string(),
});

const Text = (max: number) => z.string().max(max);
/** An os-release token: letters, digits, dots, dashes, underscores and pluses. */
const OS_TOKEN = /^[A-Za-z0-9._+-]+$/;

/** POST /api/v1/agents/enrol: a device trades an enrolment token for its own agent token. */
export const EnrolAgent = z.strictObject({
  enrolmentToken: Text(200),
  hostname: Text(253).min(1),
  systemUuid: Text(64).min(1),
});
export type EnrolAgent = z.infer<typeof EnrolAgent>;
export const EnrolledAgent = z.object({ agentId: z.uuid(), token: z.string() });

/** What an agent reports about its machine. Every list is bounded; unknown fields are refused. */
export const AgentReport = z.strictObject({
  hostname: Text(253).min(1),
  system: z.strictObject({
    manufacturer: Text(200),
    model: Text(200),
    serial: Text(128),
    uuid: Text(64).min(1),
    /** desktop, laptop, server or virtual_machine, as the agent judged from the chassis and hypervisor. */
    kind: z.enum(['desktop', 'laptop', 'server', 'virtual_machine']),
  }),
  cpu: z.strictObject({
    manufacturer: Text(200),
    brand: Text(200),
    cores: z.number().int().min(0).max(100_000),
  }),
  memoryBytes: z.number().int().min(0),
  disks: z
    .array(z.strictObject({ name: Text(200), type: Text(50), sizeBytes: z.number().int().min(0) }))
    .max(256),
  network: z
    .array(z.strictObject({ iface: Text(100), mac: Text(64), ipv4: z.array(Text(64)).max(64) }))
    .max(256),
  os: z.strictObject({
    platform: Text(50),
    distro: Text(200),
    release: Text(100),
    kernel: Text(100),
    arch: Text(50),
    /** /etc/os-release's ID and VERSION_ID (`debian` `12`, `ubuntu` `22.04`, `rocky` `9.3`), where there is one. */
    id: z.string().regex(OS_TOKEN).max(50).optional(),
    versionId: z.string().regex(OS_TOKEN).max(50).optional(),
  }),
  software: z
    .array(
      z.strictObject({
        name: Text(200).min(1),
        version: Text(100),
        /** The source package it was built from (dpkg's Source, rpm's SOURCERPM) and that package's version. */
        source: Text(200).min(1).optional(),
        sourceVersion: Text(100).min(1).optional(),
      }),
    )
    .max(20_000),
  peripherals: z
    .array(z.strictObject({ type: Text(50), name: Text(200), vendor: Text(200), serial: Text(128) }))
    .max(512),
});
export type AgentReport = z.infer<typeof AgentReport>;

/** What a report did. */
export const ReportOutcome = z.object({
  ciId: z.uuid(),
  unchanged: z.boolean(),
  created: z.boolean(),
  software: z.object({ added: z.number().int(), removed: z.number().int(), kept: z.number().int() }),
  /** Peripherals connected to the computer (added), disconnected (removed) or still there (kept). */
  peripherals: z.object({ added: z.number().int(), removed: z.number().int(), kept: z.number().int() }),
});
export type ReportOutcome = z.infer<typeof ReportOutcome>;

/** GET/PUT /api/v1/settings/discovery (admins write): bounds on what discovery reports may do. */
export const DiscoverySettings = z.strictObject({
  /** New software installations one report may add; a report over it is refused whole (413). */
  maxNewSoftwarePerReport: z.number().int().min(1).max(20_000),
  /** Retired installations older than this many days are deleted by the daily prune job. */
  retiredInstallationDays: z.number().int().min(1).max(3650),
});
export type DiscoverySettings = z.infer<typeof DiscoverySettings>;

/** An enrolled discovery agent. */
export const Agent = z.object({
  id: z.uuid(),
  hostname: z.string(),
  systemUuid: z.string(),
  ciId: z.uuid().nullable(),
  lastReportAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Agent = z.infer<typeof Agent>;
/** GET /api/v1/agents: a page, newest enrolment first (an estate has thousands of machines). */
export const AgentList = pageOf(Agent);
