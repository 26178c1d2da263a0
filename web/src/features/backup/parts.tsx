// Small pieces the backup pages share: the area's tabs, health and run badges, a time with "… ago".
import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import type { BackupRun, DeviceBackupStatus } from '@contracts';
import { Notice, PageHeader, formatDateTime } from '../../ui';
import { useT } from '../../i18n';
import { HEALTH_TONE, RUN_TONE, ago, healthLabel, healthOf, runLabel } from './labels';
import './backup.css';

/** The backup area's sections. */
const BACKUP_TABS = [
  { to: '/backups', label: 'backup.tab.dashboard', end: true },
  { to: '/backups/policies', label: 'backup.tab.policies' },
  { to: '/backups/targets', label: 'backup.tab.targets' },
] as const;

/** The tabs between the backup area's pages. */
export function BackupTabs() {
  const t = useT();
  return (
    <nav className="backup-tabs" aria-label={t('backup.backups')}>
      {BACKUP_TABS.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={'end' in tab}>
          {t(tab.label)}
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
  const t = useT();
  const h = healthOf(status);
  return <Pill tone={HEALTH_TONE[h]}>{healthLabel(t, h)}</Pill>;
}

/** A run's outcome as a coloured pill. */
export function RunBadge({ status }: { status: BackupRun['status'] }) {
  const t = useT();
  return <Pill tone={RUN_TONE[status]}>{runLabel(t, status)}</Pill>;
}

/** A moment as "3 hours ago", with the exact local time as a tooltip and for screen readers. */
export function When({ iso, never }: { iso: string | null; never?: string }) {
  const t = useT();
  if (iso === null) return <>{never ?? t('backup.never')}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {ago(t, iso)}
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
