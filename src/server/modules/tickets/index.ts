export { ticketsRoutes } from './tickets.routes.js';
export { TRANSITIONS } from './transitions.js';
export { autoCloseResolved } from './autoclose.service.js';
export { escalateDue } from './escalation.service.js';
export { createTicketIn } from './create.service.js';
export { addCommentIn } from './comments.service.js';
export { addAttachmentsIn } from './attachments.service.js';
export { bufferUpload, type Upload } from './attachments.spool.js';
export { findByKey, findVisibleTicket, moveTicketIn, ticketsOfItem } from './tickets.service.js';
