/** The audit trail's routes and its checkpoint job (the trail itself is platform/audit). */
export { type AuditChainDeps, auditRoutes, type NameIds } from './audit.routes.js';
export {
  auditJobs,
  CHECKPOINT_JOB,
  type CheckpointPublisher,
  checkpointPublisher,
} from './checkpoints.job.js';
