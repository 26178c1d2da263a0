/**
 * E-mail out and the mail log: notifications are queued in the writing transaction and sent by `mail.send`
 * jobs; every message in and out is logged with its Message-ID, which threads replies back to tickets. The
 * channel's settings are shown to admins, who can send a test message.
 */
export {
  configureOutboundMail,
  mailEnabled,
  mailJobs,
  queueMail,
  sendMailNow,
  ticketThreadId,
} from './outbound.js';
export { insert as logMail, linkTicket, ticketOfMessages } from './mail.repository.js';
export { type MailSettings, mailRoutes } from './channel.js';
