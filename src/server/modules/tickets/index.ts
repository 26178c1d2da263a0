import { joinJobs, type JobSet } from '../../platform/jobs/index.js';
import { autoCloseJobs } from './autoclose.service.js';
import { escalationJobs } from './escalation.service.js';
import { recurringJobs } from './recurring.service.js';

/**
 * The tickets' jobs, for main.ts to hand to the job runner: SLA escalation, closing resolved tickets and
 * opening recurring tickets.
 */
export function ticketsJobs(): JobSet {
  return joinJobs(escalationJobs(), autoCloseJobs(), recurringJobs());
}

export { ticketsRoutes } from './tickets.routes.js';
export { TRANSITIONS } from './transitions.js';
export { autoCloseResolved } from './autoclose.service.js';
export { runDueRecurrences } from './recurring.service.js';
export { escalateDue } from './escalation.service.js';
export { createTicketIn } from './create.service.js';
export { addCommentIn } from './comments.service.js';
export { addAttachmentsIn } from './attachments.service.js';
export { bufferUpload, type Upload } from '../../platform/files/spool.js';
export { resolveTicketIn } from './resolve.service.js';
export { replyAndChangeIn, type ReplyAndChange } from './reply.service.js';
export {
  findByKey,
  findByNumber,
  findVisibleTicket,
  followTicketIn,
  moveTicketIn,
  ticketKeys,
  ticketsOfItem,
  visibleTicketIds,
} from './tickets.service.js';
export { listTickets } from './search.service.js';
export { ticketTimeline } from './comments.service.js';
export { setSecurityFlag } from './security.service.js';
export { handlesSecurity } from './security-rule.js';
export { findAttachment as attachmentOf } from './attachments.repository.js';
export { openIncidentKeysOn } from './item-incidents.js';
export { problemOf } from './links.repository.js';
export { lastPublicAnswer } from './comments.repository.js';
export { ticketHeadlines, ticketKpiSource, type TicketKpiRow } from './kpi-source.js';
