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
import type { MessageKey } from '../../i18n/catalogues';
import { useT } from '../../i18n';

/** The catalogue key of each event in words. */
export const EVENT_LABEL: Record<NotificationEvent, MessageKey> = {
  assigned: 'event.assigned',
  replied: 'event.replied',
  status_changed: 'event.status_changed',
  sla_warning: 'event.sla_warning',
  sla_breach: 'event.sla_breach',
  reminder: 'event.reminder',
  backup_overdue: 'event.backup_overdue',
  backup_failing: 'event.backup_failing',
  approval_requested: 'event.approval_requested',
  evidence_failed: 'event.evidence_failed',
};

/** In-app notifications (newest first, unread marked) and the preferences per event and channel. */
export function NotificationsPage() {
  const t = useT();
  const user = useCurrentUser();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const mark = useMarkRead();
  const unread = list.data?.pages[0]?.unread ?? 0;
  const ticketPath = (id: string) => (user.role === 'requester' ? `/portal/tickets/${id}` : `/tickets/${id}`);
  const columns: Column<Notification>[] = [
    {
      header: t('notifications.column'),
      className: 'cell-title',
      cell: (n) => (
        <>
          {n.readAt === null && <Badge tone="primary">{t('notifications.new')}</Badge>}{' '}
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
    { header: t('notifications.about'), wide: true, cell: (n) => t(EVENT_LABEL[n.event]) },
    { header: t('common.when'), className: 'cell-when', cell: (n) => formatDateTime(n.createdAt) },
  ];
  return (
    <ListPage
      title={t('notifications.title')}
      description={t('notifications.unread', { count: unread })}
      actions={
        <Button
          variant="secondary"
          disabled={unread === 0 || mark.isPending}
          onClick={() => mark.mutate(null)}
        >
          {t('notifications.markAll')}
        </Button>
      }
      toolbar={
        <CheckboxField
          label={t('notifications.unreadOnly')}
          checked={unreadOnly}
          onChange={(e) => setUnreadOnly(e.target.checked)}
        />
      }
    >
      <ListTable
        query={list}
        label={t('notifications.title')}
        noun={t('notifications.noun')}
        empty={t('notifications.empty')}
        columns={columns}
        rowKey={(n) => n.id}
      />
      <PrefsPanel />
    </ListPage>
  );
}

/** The signed-in person's choice of channels per event. */
export function PrefsPanel() {
  const t = useT();
  const prefs = usePrefs();
  const save = useSavePrefs();
  const [draft, setDraft] = useState<NotificationPref[] | null>(null);
  const items = draft ?? prefs.data?.items ?? [];
  const set = (event: NotificationEvent, channel: 'inApp' | 'email', on: boolean) =>
    setDraft(items.map((p) => (p.event === event ? { ...p, [channel]: on } : p)));
  return (
    <Panel title={t('notifications.howToTell')}>
      {save.error && <ErrorAlert error={save.error} />}
      <table className="table" aria-label={t('notifications.prefs')}>
        <thead>
          <tr>
            <th>{t('notifications.event')}</th>
            <th>{t('notifications.inSteward')}</th>
            <th>{t('notifications.byEmail')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.event}>
              <td>{t(EVENT_LABEL[p.event])}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('notifications.eventInSteward', { event: t(EVENT_LABEL[p.event]) })}
                  checked={p.inApp}
                  onChange={(e) => set(p.event, 'inApp', e.target.checked)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('notifications.eventByEmail', { event: t(EVENT_LABEL[p.event]) })}
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
        {t('notifications.savePrefs')}
      </Button>
    </Panel>
  );
}
