import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { Ci, CiClass, DeviceBackupStatus, ServiceBackupDetail } from '@contracts';
import { api } from '../../api/client';
import { Badge, ErrorAlert, Loading, Panel } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { itemPath } from './parts';

const STATE: Record<DeviceBackupStatus['state'], { label: string; tone?: 'success' | 'danger' }> = {
  ok: { label: 'Within target', tone: 'success' },
  breached: { label: 'RPO breached', tone: 'danger' },
  never_backed_up: { label: 'Never backed up', tone: 'danger' },
  no_policy: { label: 'No backup policy' },
};

/** "26 h", "45 min", "3 days": how much work would be lost now. */
function age(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} days`;
}

function DeviceRow({ d }: { d: DeviceBackupStatus }) {
  const s = STATE[d.state];
  return (
    <li>
      <Link to={itemPath(d.ciId)}>{d.name}</Link> <Badge tone={s.tone}>{s.label}</Badge>{' '}
      <span className="muted">
        {age(d.atRiskMinutes)} at risk
        {d.rpoTargetMinutes !== null && ` (target ${age(d.rpoTargetMinutes)})`}
        {d.changedFiles !== null && `, ${d.changedFiles} files changed since`}
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
  const q = useQuery({
    queryKey: ['backup', 'services', id],
    queryFn: ({ signal }) =>
      api.get<ServiceBackupDetail>(`/api/v1/backup/services/${encodeURIComponent(id)}`, undefined, signal),
    refetchInterval: 60_000,
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title="The service’s backups could not be loaded" />;
  const s = q.data;
  if (s.devices === 0)
    return <p className="muted">This service depends on no computer in the CMDB: nothing to back up.</p>;
  return (
    <div className="stack-sm">
      <p>
        <Badge tone={STATE[s.state].tone}>{STATE[s.state].label}</Badge>{' '}
        {s.worst && (
          <span className="muted">
            worst: {s.worst.name}, {age(s.worst.atRiskMinutes)} of work at risk; {s.atRisk} of {s.devices}{' '}
            {s.devices === 1 ? 'computer needs' : 'computers need'} attention
          </span>
        )}
      </p>
      <ul className="plain-list" aria-label="Computers it depends on">
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
  const me = useCurrentUser();
  const kind = classes.find((c) => c.key === ci.classKey)?.kind;
  if (kind !== 'service' || me.role !== 'admin') return null;
  return (
    <Panel title="Backups">
      <Rollup id={ci.id} />
    </Panel>
  );
}
