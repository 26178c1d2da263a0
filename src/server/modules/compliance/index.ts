/**
 * The compliance register (issue 28, items 4–6): frameworks as importable control sets, the statement of
 * applicability, owners and review cycles, evidence collected from Steward's own facts (frozen, hashed into the
 * audit chain) and uploaded beside it, and the audit export with its signed manifest.
 */
import type { ChainKeys } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import type { JobSet } from '../../platform/jobs/index.js';
import type { MasterKey } from '../../platform/master-key.js';
import type { Deps } from '../deps.js';
import { complianceJobs } from './compliance.jobs.js';
import { complianceRoutes } from './compliance.routes.js';
import { verifyExport } from './export.verify.js';

export { COLLECT_JOB, REVIEW_JOB as COMPLIANCE_REVIEW_JOB, sendReviewReminders } from './compliance.jobs.js';
export { collectAll } from './evidence.service.js';
export { namesOf as complianceNames } from './compliance.repository.js';

/** The key an audit export's manifest is signed with, derived from the master key. */
export const exportKey = (masterKey: MasterKey) => masterKey.derive('compliance-export');

/** Verifies an audit export file with the master key (no database needed). */
export const verifyAuditExport = (path: string, masterKey: MasterKey) =>
  verifyExport(path, exportKey(masterKey));

/** What the compliance module needs from the composition root. */
export interface ComplianceModuleDeps {
  ctx: Ctx;
  masterKey: MasterKey;
  /** The audit chain's keys: the logging evidence verifies the chain. */
  auditKeys: ChainKeys;
  attachments: Deps['attachments'];
}

/** The compliance module: its routes and its jobs (evidence collection, review reminders), for main.ts to wire. */
export function createComplianceModule(deps: ComplianceModuleDeps): {
  routes(app: App): Promise<void>;
  jobs: JobSet;
} {
  const evidence = { keys: deps.auditKeys };
  return {
    routes: (app) =>
      complianceRoutes(app, {
        ctx: deps.ctx,
        attachments: deps.attachments,
        evidence,
        exportKey: exportKey(deps.masterKey),
      }),
    jobs: complianceJobs(evidence),
  };
}
