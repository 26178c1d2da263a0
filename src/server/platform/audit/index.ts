export {
  AuditSealer,
  type AuditRecord,
  history as entityHistory,
  list as listAudit,
  record,
  recordAll,
  verifyChain,
} from './audit.service.js';
export { canonicalJson } from './canonical.js';
