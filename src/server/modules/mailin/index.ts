/**
 * The inbound e-mail channel: an SMTP listener or an IMAP poller hands each message to {@link receiveMail},
 * which turns it into a ticket or a reply.
 */
export { type MailInSettings, type MailOutcome, receiveMail, RefusedMail } from './mailin.service.js';
export { startMailIn, type MailInConfig } from './mailin.runtime.js';
