/**
 * The CMDB: classes of configuration items with typed custom fields, the items with their lifecycle and
 * history, typed relationships checked against rules by kind, impact analysis, and the links from tickets.
 */
import { joinJobs, type JobSet } from '../../platform/jobs/index.js';
import { setAssetMatcher } from '../routing/index.js';
import { ticketLinksAny } from './cmdb.repository.js';
import { pruneJobs } from './prune.service.js';
import { reminderJobs } from './reminders.service.js';

// Routing rules may now route by the items a ticket is about.
setAssetMatcher(ticketLinksAny);

/** The CMDB's jobs, for main.ts to hand to the job runner: installation pruning and expiry reminders. */
export function cmdbJobs(): JobSet {
  return joinJobs(pruneJobs(), reminderJobs());
}

export { cmdbRoutes, type CmdbHooks } from './cmdb.routes.js';
export type { ItemChanged } from './cis.service.js';
export { createCi, listCis, myCis } from './cis.service.js';
export { changeNeighbours, type ScopeNeighbour } from './change-scope.js';
export {
  credentialItem,
  credentialItems,
  credentialNames,
  isCredentialClass,
  type CredentialItem,
} from './credentials.js';
export {
  distinctSourcePackages,
  ecosystemOf,
  sourcePackagesOf,
  sourcePackagesTable,
  type SourcePackage,
} from './sources.js';
export { inventoryCoverage } from './discovery.repository.js';
export { pruneRetiredInstallations } from './prune.service.js';
export { sendExpiryReminders } from './reminders.service.js';
export { serviceScope, serviceScopes, type ScopeEdge, type ScopeItem, type ServiceScope } from './scope.js';
export {
  agentOfToken,
  classNames,
  computerName,
  computersInUse,
  deviceContacts,
  computersOwnedBy,
  itemNames,
  serviceDependencies,
  type AgentIdentity,
  type DeviceContacts,
  type DeviceScope,
  type ServiceDependency,
  type OwnedComputer,
} from './devices.js';
export { ticketServiceSource, type TicketServiceRow } from './kpi-source.js';
