import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { Ci, CiClass, DeviceBackupStatus, ServiceBackupDetail } from '@contracts';
import { api } from '../../api/client';
import { Badge, ErrorAlert, Loading, Panel } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useT, type Translate } from '../../i18n';
import { itemPath } from './parts';

const TONE: Record<DeviceBackupStatus['state'], 'success' | 'danger' | undefined> = {
  ok: 'success',
  breached: 'danger',
  never_backed_up: 'danger',
  no_policy: undefined,
};

/** A recovery point state as a pill ("Within target", "RPO breached"). */
function StateBadge({ state }: { state: DeviceBackupStatus['state'] }) {
  const t = useT();
  return <Badge tone={TONE[state]}>{t(`cmdb.backups.state.${state}`)}</Badge>;
}

/** "26 h", "45 min", "3 days": how much work would be lost now. */
function age(t: Translate, minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 120) return t('cmdb.backups.minutes', { n: minutes });
  if (minutes < 48 * 60) return t('cmdb.backups.hours', { n: Math.floor(minutes / 60) });
  return t('cmdb.backups.days', { count: Math.floor(minutes / 1440) });
}

function DeviceRow({ d }: { d: DeviceBackupStatus }) {
  const t = useT();
  return (
    <li>
      <Link to={itemPath(d.ciId)}>{d.name}</Link> <StateBadge state={d.state} />{' '}
      <span className="muted">
        {d.rpoTargetMinutes === null
          ? t('cmdb.backups.atRisk', { age: age(t, d.atRiskMinutes) })
          : t('cmdb.backups.atRiskTarget', {
              age: age(t, d.atRiskMinutes),
              target: age(t, d.rpoTargetMinutes),
            })}
        {d.changedFiles !== null && t('cmdb.backups.changedFiles', { count: d.changedFiles })}
      </span>
      {d.incident && (
        <>
          {' '}
          <Link to={`/tickets/${encodeURIComponent(d.incident.id)}`}>{d.incident.key}</Link>
        </>
      )}
    </li>
  );
}

function Rollup({ id }: { id: string }) {
  const t = useT();
  const q = useQuery({
    queryKey: ['backup', 'services', id],
    queryFn: ({ signal }) =>
      api.get<ServiceBackupDetail>(`/api/v1/backup/services/${encodeURIComponent(id)}`, undefined, signal),
    refetchInterval: 60_000,
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('cmdb.backups.notLoaded')} />;
  const s = q.data;
  if (s.devices === 0) return <p className="muted">{t('cmdb.backups.noComputer')}</p>;
  return (
    <div className="stack-sm">
      <p>
        <StateBadge state={s.state} />{' '}
        {s.worst && (
          <span className="muted">
            {t('cmdb.backups.worst', {
              name: s.worst.name,
              age: age(t, s.worst.atRiskMinutes),
              atRisk: s.atRisk,
              count: s.devices,
            })}
          </span>
        )}
      </p>
      <ul className="plain-list" aria-label={t('cmdb.backups.dependsOn')}>
        {s.dependencies.map((d) => (
          <DeviceRow key={d.ciId} d={d} />
        ))}
      </ul>
    </div>
  );
}

/**
 * A business service's backups (admins): the worst recovery point of every computer it depends on, directly
 * or not, riskiest first, with their open backup incidents. Nothing for other items or other roles.
 */
export function ServiceBackupsPanel({ ci, classes }: { ci: Ci; classes: readonly CiClass[] }) {
  const t = useT();
  const me = useCurrentUser();
  const kind = classes.find((c) => c.key === ci.classKey)?.kind;
  if (kind !== 'service' || me.role !== 'admin') return null;
  return (
    <Panel title={t('cmdb.backups')}>
      <Rollup id={ci.id} />
    </Panel>
  );
}
