export { AuditSealer, list as listAudit, record, verifyChain } from './audit.service.js';
