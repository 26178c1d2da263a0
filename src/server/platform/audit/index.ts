export {
  AuditSealer,
  type AuditRecord,
  list as listAudit,
  record,
  recordAll,
  verifyChain,
} from './audit.service.js';
export { canonicalJson } from './canonical.js';
