/**
 * Notifications: in-app and e-mail, for assignment, replies, status changes and SLA warnings and breaches;
 * per-user preferences; admin-edited templates. {@link notify} runs in the writing transaction; e-mail is
 * sent by jobs.
 */
export {
  configureNotifications,
  notify,
  notifyAbout,
  remind,
  type NotifyEvent,
  type TicketFacts,
} from './notifications.service.js';
export { notificationsRoutes } from './notifications.routes.js';
