import { z } from 'zod';
import {
  EventParams,
  IdParams,
  NotificationPage,
  NotificationPrefs,
  NotificationQuery,
  NotificationTemplate,
  NotificationTemplateList,
  Problem,
  PutNotificationTemplate,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import * as svc from './notifications.service.js';

const Unread = z.object({ unread: z.number().int() });
const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** In-app notifications, preferences and (admins) templates. */
export function notificationsRoutes(app: App, { ctx }: Deps): void {
  const tags = ['notifications'];
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first',
        querystring: NotificationQuery,
        response: { 200: NotificationPage, 400: Problem },
      },
    },
    async (req) => svc.listNotifications(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark a notification read',
        params: IdParams,
        response: { 200: Unread, 404: Problem },
      },
    },
    async (req) => svc.markRead(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/notifications/read-all',
    { schema: { tags, summary: 'Mark all my notifications read', response: { 200: Unread } } },
    async (req) => svc.markRead(ctx, actorOf(req), null),
  );
  app.get(
    '/api/v1/me/notification-preferences',
    { schema: { tags, summary: 'My notification preferences', response: { 200: NotificationPrefs } } },
    async (req) => svc.getPrefs(ctx, actorOf(req)),
  );
  app.put(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags,
        summary: 'Set my notification preferences (events left out: the defaults)',
        body: NotificationPrefs,
        response: { 200: NotificationPrefs, 400: Problem },
      },
    },
    async (req) => svc.setPrefs(ctx, actorOf(req), req.body),
  );
  app.get(
    '/api/v1/notification-templates',
    {
      schema: {
        tags,
        summary: 'Notification templates (admins)',
        response: { 200: NotificationTemplateList },
      },
    },
    async (req) => ({ items: await svc.listTemplates(ctx, actorOf(req)) }),
  );
  app.put(
    '/api/v1/notification-templates/:event',
    {
      schema: {
        tags,
        summary: 'Set an event’s template (admins; If-Match once a custom template exists)',
        params: EventParams,
        headers: IfMatch,
        body: PutNotificationTemplate,
        response: { 200: NotificationTemplate, 400: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const t = await svc.putTemplate(
        ctx,
        actorOf(req),
        req.params.event,
        versionFromIfMatch(req.headers['if-match']),
        req.body,
      );
      return reply.header('ETag', etagOf(t.version)).send(t);
    },
  );
}
