import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { DeviceBackupStatus } from '@contracts';
import { ListTable, Panel, SelectField } from '../../ui';
import { itemPath } from '../cmdb/parts';
import { useFleetStatus } from './api';
import { HEALTH_LABEL, HEALTH_TONE, countsOf, healthOf, rpoText, type Health } from './labels';
import { BackupArea, HealthBadge, RunBadge, When, wholeList } from './parts';

const COUNTED: { health: Health; label: string }[] = [
  { health: 'healthy', label: 'Healthy' },
  { health: 'at_risk', label: 'At risk' },
  { health: 'breached', label: 'RPO breached' },
  { health: 'never', label: 'Never backed up' },
];

/** The four counts at the top of the dashboard. */
function Counts({ devices }: { devices: readonly DeviceBackupStatus[] }) {
  const counts = countsOf(devices);
  return (
    <ul className="backup-counts" aria-label="Devices by backup state">
      {COUNTED.map(({ health, label }) => (
        <li key={health} className={`backup-count backup-count-${HEALTH_TONE[health] ?? 'none'}`}>
          <strong>{counts[health]}</strong>
          <span>{label}</span>
        </li>
      ))}
    </ul>
  );
}

const rowClass = (s: DeviceBackupStatus) => {
  const tone = HEALTH_TONE[healthOf(s)];
  return tone === 'danger' || tone === 'warning' ? `row-${tone}` : undefined;
};

/**
 * The backup dashboard (admins): how many computers are healthy, at risk, breached or never backed up, and each
 * one riskiest first with its policy, last good snapshot, work at risk against its target and last run.
 */
export function DashboardPage() {
  const status = useFleetStatus();
  const [show, setShow] = useState<Health | ''>('');
  const rows = status.data?.filter((d) => show === '' || healthOf(d) === show);
  return (
    <BackupArea
      title="Backups"
      description="Every computer’s recovery point: how much work it would lose right now, riskiest first."
    >
      {status.data !== undefined && <Counts devices={status.data} />}
      <Panel padded={false}>
        <div className="toolbar" role="search">
          <SelectField
            label="Show"
            className="backup-filter"
            value={show}
            onChange={(e) => setShow(e.target.value as Health | '')}
          >
            <option value="">Every computer</option>
            {(Object.keys(HEALTH_LABEL) as Health[]).map((h) => (
              <option key={h} value={h}>
                {HEALTH_LABEL[h]}
              </option>
            ))}
          </SelectField>
        </div>
        <ListTable
          query={wholeList(status)}
          rows={rows}
          label="Computers by backup risk"
          noun="backup states"
          empty={
            show === ''
              ? 'No computer is in the inventory yet: enrol machines with the discovery agent.'
              : 'No computer is in this state.'
          }
          rowKey={(d) => d.ciId}
          rowClassName={rowClass}
          columns={[
            {
              header: 'Computer',
              className: 'cell-title',
              cell: (d) => <Link to={itemPath(d.ciId)}>{d.name}</Link>,
            },
            {
              header: 'Recovery point',
              cell: (d) => (
                <>
                  <HealthBadge status={d} />
                  <div className="rpo-text">{rpoText(d)}</div>
                </>
              ),
            },
            {
              header: 'Last good snapshot',
              className: 'cell-when',
              cell: (d) => <When iso={d.lastGoodAt} />,
            },
            {
              header: 'Last run',
              wide: true,
              cell: (d) =>
                d.lastRunStatus === null ? (
                  'None yet'
                ) : (
                  <>
                    <RunBadge status={d.lastRunStatus} /> <When iso={d.lastRunAt} />
                  </>
                ),
            },
            { header: 'Policy', wide: true, cell: (d) => d.policy ?? <span className="muted">None</span> },
          ]}
        />
      </Panel>
    </BackupArea>
  );
}
