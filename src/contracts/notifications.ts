import { z } from 'zod';
import { PageQuery } from './common.js';

/** What people are notified about. */
export const NotificationEvent = z.enum([
  'assigned',
  'replied',
  'status_changed',
  'sla_warning',
  'sla_breach',
  'reminder',
  'backup_overdue',
  'backup_failing',
  'approval_requested',
  'evidence_failed',
]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** One in-app notification. */
export const Notification = z.object({
  id: z.uuid(),
  event: NotificationEvent,
  ticketId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

/** GET /api/v1/notifications: the caller's, newest first; `unread` keeps the unread ones. */
export const NotificationQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;
export const NotificationPage = z.object({
  items: z.array(Notification),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

/** A user's choice for one event. */
export const NotificationPref = z.strictObject({
  event: NotificationEvent,
  inApp: z.boolean(),
  email: z.boolean(),
});
export type NotificationPref = z.infer<typeof NotificationPref>;

/** GET/PUT /api/v1/me/notification-preferences: every event, each with its channels. */
export const NotificationPrefs = z.strictObject({
  items: z
    .array(NotificationPref)
    .max(20)
    .refine((a) => new Set(a.map((p) => p.event)).size === a.length, 'each event once'),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

/**
 * A notification template. Placeholders in double braces are replaced: {{ticket.key}}, {{ticket.title}},
 * {{ticket.status}}, {{ticket.priority}}, {{ticket.url}}, {{actor}}, {{comment}}, {{clock}}, {{dueAt}},
 * {{recipient}}. An unknown placeholder is refused when the template is saved.
 */
export const NotificationTemplate = z.object({
  event: NotificationEvent,
  subject: z.string(),
  body: z.string(),
  /** False while the built-in text is used. */
  custom: z.boolean(),
  version: z.number().int(),
});
export type NotificationTemplate = z.infer<typeof NotificationTemplate>;
export const NotificationTemplateList = z.object({ items: z.array(NotificationTemplate) });

/** PUT /api/v1/notification-templates/:event (If-Match when a custom template exists). */
export const PutNotificationTemplate = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  body: z.string().min(1).max(20_000),
});
export type PutNotificationTemplate = z.infer<typeof PutNotificationTemplate>;
export const EventParams = z.strictObject({ event: NotificationEvent });
