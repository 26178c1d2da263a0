import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Notification, NotificationEvent, NotificationPref } from '@contracts';
import { useCurrentUser } from '../auth/session';
import {
  Badge,
  Button,
  CheckboxField,
  ErrorAlert,
  ListPage,
  ListTable,
  Panel,
  type Column,
  formatDateTime,
} from '../../ui';
import { useMarkRead, useNotifications, usePrefs, useSavePrefs } from './api';

/** Events in words. */
export const EVENT_LABEL: Record<NotificationEvent, string> = {
  assigned: 'Assigned to me',
  replied: 'Replies',
  status_changed: 'Status changes',
  sla_warning: 'SLA warnings',
  sla_breach: 'SLA breaches',
  reminder: 'Warranty and contract reminders',
  backup_overdue: 'Backups overdue on my devices or my team’s',
  backup_failing: 'Backups failing on my devices or my team’s',
};

/** In-app notifications (newest first, unread marked) and the preferences per event and channel. */
export function NotificationsPage() {
  const user = useCurrentUser();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const mark = useMarkRead();
  const unread = list.data?.pages[0]?.unread ?? 0;
  const ticketPath = (id: string) => (user.role === 'requester' ? `/portal/tickets/${id}` : `/tickets/${id}`);
  const columns: Column<Notification>[] = [
    {
      header: 'Notification',
      className: 'cell-title',
      cell: (n) => (
        <>
          {n.readAt === null && <Badge tone="primary">new</Badge>}{' '}
          {n.ticketId ? (
            <Link to={ticketPath(n.ticketId)} onClick={() => n.readAt === null && mark.mutate(n.id)}>
              {n.title}
            </Link>
          ) : (
            n.title
          )}
        </>
      ),
    },
    { header: 'About', wide: true, cell: (n) => EVENT_LABEL[n.event] },
    { header: 'When', className: 'cell-when', cell: (n) => formatDateTime(n.createdAt) },
  ];
  return (
    <ListPage
      title="Notifications"
      description={`${unread} unread`}
      actions={
        <Button
          variant="secondary"
          disabled={unread === 0 || mark.isPending}
          onClick={() => mark.mutate(null)}
        >
          Mark all read
        </Button>
      }
      toolbar={
        <CheckboxField
          label="Unread only"
          checked={unreadOnly}
          onChange={(e) => setUnreadOnly(e.target.checked)}
        />
      }
    >
      <ListTable
        query={list}
        label="Notifications"
        noun="notifications"
        empty="Nothing to report."
        columns={columns}
        rowKey={(n) => n.id}
      />
      <PrefsPanel />
    </ListPage>
  );
}

/** The signed-in person's choice of channels per event. */
export function PrefsPanel() {
  const prefs = usePrefs();
  const save = useSavePrefs();
  const [draft, setDraft] = useState<NotificationPref[] | null>(null);
  const items = draft ?? prefs.data?.items ?? [];
  const set = (event: NotificationEvent, channel: 'inApp' | 'email', on: boolean) =>
    setDraft(items.map((p) => (p.event === event ? { ...p, [channel]: on } : p)));
  return (
    <Panel title="How to tell me">
      {save.error && <ErrorAlert error={save.error} />}
      <table className="table" aria-label="Notification preferences">
        <thead>
          <tr>
            <th>Event</th>
            <th>In Steward</th>
            <th>E-mail</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.event}>
              <td>{EVENT_LABEL[p.event]}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${EVENT_LABEL[p.event]} in Steward`}
                  checked={p.inApp}
                  onChange={(e) => set(p.event, 'inApp', e.target.checked)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${EVENT_LABEL[p.event]} by e-mail`}
                  checked={p.email}
                  onChange={(e) => set(p.event, 'email', e.target.checked)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button
        disabled={draft === null || save.isPending}
        onClick={() => save.mutate({ items }, { onSuccess: () => setDraft(null) })}
      >
        Save preferences
      </Button>
    </Panel>
  );
}
