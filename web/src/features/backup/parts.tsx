// Small pieces the backup pages share: the area's tabs, health and run badges, a time with "… ago".
import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import type { BackupRun, DeviceBackupStatus } from '@contracts';
import { Notice, PageHeader, formatDateTime } from '../../ui';
import { HEALTH_LABEL, HEALTH_TONE, RUN_LABEL, RUN_TONE, ago, healthOf } from './labels';
import './backup.css';

/** The backup area's sections. */
export const BACKUP_TABS: { to: string; label: string; end?: boolean }[] = [
  { to: '/backups', label: 'Dashboard', end: true },
  { to: '/backups/policies', label: 'Policies' },
  { to: '/backups/targets', label: 'Storage targets' },
];

/** The tabs between the backup area's pages. */
export function BackupTabs() {
  return (
    <nav className="backup-tabs" aria-label="Backups">
      {BACKUP_TABS.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end}>
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** A page of the backup area: its header, the tabs, the one-off notice and the content. */
export function BackupArea({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <BackupTabs />
      <Notice />
      <div className="stack">{children}</div>
    </>
  );
}

/** A coloured pill. */
export function Pill({
  tone,
  children,
}: {
  tone: 'success' | 'warning' | 'danger' | undefined;
  children: ReactNode;
}) {
  return <span className={tone === undefined ? 'badge' : `badge badge-${tone}`}>{children}</span>;
}

/** A device's recovery point as a coloured state in words. */
export function HealthBadge({ status }: { status: DeviceBackupStatus }) {
  const h = healthOf(status);
  return <Pill tone={HEALTH_TONE[h]}>{HEALTH_LABEL[h]}</Pill>;
}

/** A run's outcome as a coloured pill. */
export function RunBadge({ status }: { status: BackupRun['status'] }) {
  return <Pill tone={RUN_TONE[status]}>{RUN_LABEL[status]}</Pill>;
}

/** A moment as "3 hours ago", with the exact local time as a tooltip and for screen readers. */
export function When({ iso, never = 'Never' }: { iso: string | null; never?: string }) {
  if (iso === null) return <>{never}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {ago(iso)}
    </time>
  );
}

/** A whole list loaded at once, in the shape ListTable takes (one page, nothing more to load). */
export function wholeList<T>(q: {
  data?: T[] | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}) {
  return {
    data: q.data === undefined ? undefined : { pages: [{ items: q.data }] },
    isPending: q.isPending,
    isError: q.isError,
    error: q.error,
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: () => Promise.resolve(undefined),
  };
}
