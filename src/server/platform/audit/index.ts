export {
  type AuditRecord,
  history as entityHistory,
  list as listAudit,
  record,
  recordAll,
} from './audit.service.js';
export { canonicalJson } from './canonical.js';
export { appendCheckpoint, type Checkpoint, readCheckpoints, takeCheckpoint } from './checkpoints.js';
export { type ChainKeys, chainKeys } from './keys.js';
export { AuditChainError, AuditSealer, MAX_SKEW_MS, type SealerOptions } from './sealer.js';
export { verifyChain, type VerifyOptions } from './verify.js';
