import type {
  Notification,
  NotificationEvent,
  NotificationPrefs,
  NotificationQuery,
  NotificationTemplate,
  PutNotificationTemplate,
} from '../../../contracts/index.js';
import { NotificationEvent as Events, priorityLabel } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Invalid, NotFound, PreconditionRequired, Stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { can, type Actor } from '../../platform/permissions.js';
import { mailEnabled, queueMail } from '../mail/index.js';
import * as repo from './notifications.repository.js';
import type { Audience } from './notifications.repository.js';
import { DEFAULT_TEMPLATES, type Placeholder, render, unknownPlaceholders } from './templates.js';

/** What a notification is about: the ticket as it is now. */
export interface TicketFacts {
  id: string;
  key: string;
  title: string;
  status: string;
  priority: number;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
}

/** One thing to tell people about. */
export interface NotifyEvent {
  event: NotificationEvent;
  ticket: TicketFacts;
  /** Who did it: never notified about their own action. */
  actor: { userId: string | null; label: string };
  /** Groups of people, and named users. */
  to: readonly (Audience | { userId: string })[];
  comment?: string;
  clock?: string;
  dueAt?: string;
  /** The item the event is about (a device whose backups need attention), by name. */
  item?: { name: string };
  /** What happened, in a sentence people read (backup events). */
  what?: string;
  /**
   * Of the people the event concerns, those who may be told anything about it (a security incident: only those
   * who handle them); without it, all of them.
   */
  onlyWho?: (people: readonly { id: string; role: string }[]) => Promise<ReadonlySet<string>>;
}

let publicUrl = 'http://localhost:8080';

/** Where links in notifications point (set at start-up). */
export function configureNotifications(opts: { publicUrl: string }): void {
  publicUrl = opts.publicUrl;
}

async function templateOf(db: Db, event: NotificationEvent) {
  return (await repo.template(db, event)) ?? DEFAULT_TEMPLATES[event];
}

/**
 * Notifies the people an event concerns, in the caller's transaction: in-app notifications and queued
 * e-mail (sent by jobs, retried there) for each recipient by their preferences (both on by default). The
 * actor is left out; so is anyone inactive. Requesters get links to the portal, agents to the console.
 * Returns the names of the people actually told (in the app or by e-mail), for lines such as "notified Ann".
 */
export async function notify(db: Db, e: NotifyEvent): Promise<string[]> {
  const audiences = e.to.filter((x): x is Audience => typeof x === 'string');
  const named = e.to.flatMap((x) => (typeof x === 'string' ? [] : [x.userId]));
  let people = (await repo.recipients(db, e.ticket, audiences, named)).filter((p) => p.id !== e.actor.userId);
  if (e.onlyWho) {
    const may = await e.onlyWho(people);
    people = people.filter((p) => may.has(p.id));
  }
  return deliver(db, e.event, e.ticket.id, people, (p) => ({
    'ticket.key': e.ticket.key,
    'ticket.title': e.ticket.title,
    'ticket.status': e.ticket.status.replace('_', ' '),
    'ticket.priority': priorityLabel(e.ticket.priority),
    'ticket.url': `${publicUrl}${p.role === 'requester' ? '/portal' : ''}/tickets/${e.ticket.id}`,
    actor: e.actor.label,
    comment: e.comment ?? '',
    clock: e.clock ?? '',
    dueAt: e.dueAt ?? '',
    'item.name': e.item?.name ?? '',
    what: e.what ?? '',
  }));
}

/**
 * Renders the event's template for each person (with `recipient` filled in) and writes in-app notifications
 * and queued e-mail as their preferences say (both on by default). Returns the names of those told.
 */
async function deliver(
  db: Db,
  event: NotificationEvent,
  ticketId: string | null,
  people: readonly { id: string; email: string; name: string; role: string }[],
  valuesFor: (p: { role: string }) => Partial<Record<Placeholder, string>>,
): Promise<string[]> {
  if (people.length === 0) return [];
  const prefs = await repo.prefsFor(
    db,
    people.map((p) => p.id),
    event,
  );
  const t = await templateOf(db, event);
  const inApp: repo.NewNotification[] = [];
  const told: string[] = [];
  for (const p of people) {
    const pref = prefs.get(p.id) ?? { in_app: true, email: true };
    const byMail = pref.email && mailEnabled();
    if (!pref.in_app && !byMail) continue;
    told.push(p.name);
    const values = { ...valuesFor(p), recipient: p.name };
    const subject = render(t.subject, values)
      .replace(/[\r\n]+/g, ' ')
      .slice(0, 300);
    const body = render(t.body, values);
    if (pref.in_app) inApp.push({ userId: p.id, event, ticketId, title: subject, body });
    if (byMail) await queueMail(db, { to: p.email, subject, body, ticketId });
  }
  await repo.insertNotifications(db, inApp);
  return told;
}

function view(r: Awaited<ReturnType<typeof repo.page>>[number]): Notification {
  return {
    id: r.id,
    event: r.event as NotificationEvent,
    ticketId: r.ticket_id,
    title: r.title,
    body: r.body,
    readAt: r.read_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The caller's notifications, newest first, with the unread count. */
export async function listNotifications(ctx: Ctx, actor: Actor, q: NotificationQuery) {
  if (!actor.userId) return { items: [], nextCursor: null, unread: 0 };
  const before = decodeCursor(q.cursor, ['bigint'])?.[0] ?? null;
  const rows = await repo.page(ctx.db, actor.userId, q.unread ?? false, before, q.limit + 1);
  const kept = rows.slice(0, q.limit);
  return {
    items: kept.map(view),
    nextCursor: rows.length > q.limit ? encodeCursor([kept.at(-1)!.seq]) : null,
    unread: await repo.unreadCount(ctx.db, actor.userId),
  };
}

/** Marks one of the caller's notifications read (404 for anyone else's), or all with `id` null. */
export async function markRead(ctx: Ctx, actor: Actor, id: string | null): Promise<{ unread: number }> {
  const me = actor.userId;
  if (!me) throw NotFound('notification');
  if (id && !(await repo.owns(ctx.db, me, id))) throw NotFound('notification');
  await repo.markRead(ctx.db, me, id);
  return { unread: await repo.unreadCount(ctx.db, me) };
}

/** The caller's preferences, every event (defaults filled in). */
export async function getPrefs(ctx: Ctx, actor: Actor): Promise<NotificationPrefs> {
  const stored = actor.userId ? await repo.prefsOf(ctx.db, actor.userId) : [];
  const byEvent = new Map(stored.map((p) => [p.event, p]));
  return {
    items: Events.options.map((event) => {
      const p = byEvent.get(event);
      return { event, inApp: p?.in_app ?? true, email: p?.email ?? true };
    }),
  };
}

/** Replaces the caller's preferences (events left out go back to the defaults). */
export async function setPrefs(ctx: Ctx, actor: Actor, input: NotificationPrefs): Promise<NotificationPrefs> {
  const me = actor.userId;
  if (!me) throw NotFound('user');
  const before = await getPrefs(ctx, actor);
  await ctx.tx(async (db) => {
    await repo.setPrefs(db, me, input.items);
    await record(db, actor, 'notification.prefs_set', { type: 'user', id: me }, { ...before }, { ...input });
  });
  return getPrefs(ctx, actor);
}

/** Every event's template (admins). */
export async function listTemplates(ctx: Ctx, actor: Actor): Promise<NotificationTemplate[]> {
  can(actor, 'settings:write');
  const stored = new Map((await repo.templates(ctx.db)).map((t) => [t.event, t]));
  return Events.options.map((event) => {
    const t = stored.get(event);
    return t
      ? { event, subject: t.subject, body: t.body, custom: true, version: t.version }
      : { event, ...DEFAULT_TEMPLATES[event], custom: false, version: 0 };
  });
}

/**
 * Saves an event's template (admins). The first save needs no If-Match (the built-in text has version 0);
 * later ones do (412 when stale). Unknown placeholders are a 400.
 */
export async function putTemplate(
  ctx: Ctx,
  actor: Actor,
  event: NotificationEvent,
  version: number | undefined,
  input: PutNotificationTemplate,
): Promise<NotificationTemplate> {
  can(actor, 'settings:write');
  const errors = [
    ...unknownPlaceholders(input.subject).map((p) => ({
      path: 'body.subject',
      message: `unknown placeholder {{${p}}}`,
    })),
    ...unknownPlaceholders(input.body).map((p) => ({
      path: 'body.body',
      message: `unknown placeholder {{${p}}}`,
    })),
  ];
  if (errors.length > 0) throw Invalid('the template names unknown placeholders', errors);
  return ctx.tx(async (db) => {
    const current = await repo.template(db, event);
    if (current && version === undefined) throw PreconditionRequired();
    const saved = await repo.putTemplate(db, event, input.subject, input.body, current ? version : undefined);
    if (!saved) throw Stale();
    const before = current ?? { ...DEFAULT_TEMPLATES[event] };
    await record(
      db,
      actor,
      'notification.template_set',
      { type: 'notification_template', id: event },
      { subject: before.subject, body: before.body },
      { subject: input.subject, body: input.body },
    );
    return { event, subject: input.subject, body: input.body, custom: true, version: saved.version };
  });
}

/**
 * Reminds people of a date about an item (a warranty or contract ending), in the caller's transaction:
 * in-app and e-mail by their preferences for `reminder`, like {@link notify}. `to` are user ids; inactive
 * users are skipped. Returns how many people were reminded.
 */
export async function remind(
  db: Db,
  r: {
    to: readonly string[];
    /** The item; `path` is its page in Steward (default: the CMDB item's). */
    item: { id: string; name: string; path?: string };
    what: string;
    date: string;
  },
): Promise<number> {
  const people = await repo.activeUsers(db, r.to);
  await deliver(db, 'reminder', null, people, () => ({
    'item.name': r.item.name,
    'item.url': `${publicUrl}${r.item.path ?? `/api/v1/cis/${r.item.id}`}`,
    what: r.what,
    date: r.date,
  }));
  return people.length;
}

/**
 * Tells people about something that is not a ticket, in the caller's transaction: an approval waiting for them
 * (`approval_requested`: a catalogue request's level), a control's evidence that failed (`evidence_failed`).
 * In-app and e-mail by their preferences for the event; `to` are user ids, inactive users skipped. Returns how
 * many people were told.
 */
export async function notifyAbout(
  db: Db,
  event: 'approval_requested' | 'evidence_failed',
  r: { to: readonly string[]; item: { name: string; path: string }; what: string },
): Promise<number> {
  const people = await repo.activeUsers(db, r.to);
  await deliver(db, event, null, people, () => ({
    'item.name': r.item.name,
    'item.url': `${publicUrl}${r.item.path}`,
    what: r.what,
  }));
  return people.length;
}
