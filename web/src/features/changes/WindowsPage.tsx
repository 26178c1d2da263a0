import { Link, useLocation } from 'react-router-dom';
import type { ChangeWindow } from '@contracts';
import { useT } from '../../i18n';
import { Alert, ButtonLink, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { windows } from './adminApi';
import { windowText } from './parts';

/** One table of windows (maintenance windows, or blackouts). */
function WindowTable({ rows, label, empty }: { rows: ChangeWindow[]; label: string; empty: string }) {
  const t = useT();
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th>{t('common.name')}</th>
          <th>{t('changes.windowItem')}</th>
          <th>{t('common.when')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={w.id}>
            <td className="cell-strong">
              <Link to={`/changes/windows/${w.id}`}>{w.name}</Link>
            </td>
            <td>{w.ciName ?? t('changes.everyItem')}</td>
            <td>{windowText(t, w.startsAt, w.endsAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Blackout (freeze) periods and maintenance windows that have not long ended, each opened for editing. */
export function WindowsPage() {
  const t = useT();
  const list = windows.useList();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const of = (kind: ChangeWindow['kind']) => (list.data ?? []).filter((w) => w.kind === kind);
  return (
    <>
      <PageHeader
        title={t('changes.windows')}
        description={t('changes.windowsIntro')}
        back={{ to: '/changes', label: t('nav.changes') }}
        actions={
          <>
            <ButtonLink to="/changes/windows/new?kind=maintenance">{t('changes.newMaintenance')}</ButtonLink>
            <ButtonLink to="/changes/windows/new?kind=blackout" variant="primary">
              {t('changes.newBlackout')}
            </ButtonLink>
          </>
        }
      />
      <div className="stack">
        {notice && <Alert tone="success">{notice}</Alert>}
        {list.isPending && <Loading />}
        {list.isError && <ErrorAlert error={list.error} />}
        {list.data && (
          <>
            <Panel title={t('changes.blackouts')}>
              <WindowTable
                rows={of('blackout')}
                label={t('changes.blackouts')}
                empty={t('changes.noBlackouts')}
              />
            </Panel>
            <Panel title={t('changes.maintenanceWindows')}>
              <WindowTable
                rows={of('maintenance')}
                label={t('changes.maintenanceWindows')}
                empty={t('changes.noMaintenance')}
              />
            </Panel>
          </>
        )}
      </div>
    </>
  );
}
