import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { DeviceBackupStatus } from '@contracts';
import { ListTable, Panel, SelectField, formatNumber } from '../../ui';
import { itemPath } from '../cmdb/parts';
import { useFleetStatus } from './api';
import { useT } from '../../i18n';
import { HEALTHS, HEALTH_TONE, countsOf, healthLabel, healthOf, rpoText, type Health } from './labels';
import { BackupArea, HealthBadge, RunBadge, When, wholeList } from './parts';

const COUNTED: Health[] = ['healthy', 'at_risk', 'breached', 'never'];

/** The four counts at the top of the dashboard. */
function Counts({ devices }: { devices: readonly DeviceBackupStatus[] }) {
  const t = useT();
  const counts = countsOf(devices);
  return (
    <ul className="backup-counts" aria-label={t('backup.dash.counts')}>
      {COUNTED.map((health) => (
        <li key={health} className={`backup-count backup-count-${HEALTH_TONE[health] ?? 'none'}`}>
          <strong>{formatNumber(counts[health])}</strong>
          <span>{healthLabel(t, health)}</span>
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
  const t = useT();
  const status = useFleetStatus();
  const [show, setShow] = useState<Health | ''>('');
  const rows = status.data?.filter((d) => show === '' || healthOf(d) === show);
  return (
    <BackupArea title={t('backup.backups')} description={t('backup.dash.about')}>
      {status.data !== undefined && <Counts devices={status.data} />}
      <Panel padded={false}>
        <div className="toolbar" role="search">
          <SelectField
            label={t('backup.dash.show')}
            className="backup-filter"
            value={show}
            onChange={(e) => setShow(e.target.value as Health | '')}
          >
            <option value="">{t('backup.dash.every')}</option>
            {HEALTHS.map((h) => (
              <option key={h} value={h}>
                {healthLabel(t, h)}
              </option>
            ))}
          </SelectField>
        </div>
        <ListTable
          query={wholeList(status)}
          rows={rows}
          label={t('backup.dash.table')}
          noun={t('backup.dash.noun')}
          empty={show === '' ? t('backup.dash.empty') : t('backup.dash.noneInState')}
          rowKey={(d) => d.ciId}
          rowClassName={rowClass}
          columns={[
            {
              header: t('backup.computer'),
              className: 'cell-title',
              cell: (d) => <Link to={itemPath(d.ciId)}>{d.name}</Link>,
            },
            {
              header: t('backup.recoveryPoint'),
              cell: (d) => (
                <>
                  <HealthBadge status={d} />
                  <div className="rpo-text">{rpoText(t, d)}</div>
                </>
              ),
            },
            {
              header: t('backup.lastGood'),
              className: 'cell-when',
              cell: (d) => <When iso={d.lastGoodAt} />,
            },
            {
              header: t('backup.lastRun'),
              wide: true,
              cell: (d) =>
                d.lastRunStatus === null ? (
                  t('backup.noneYet')
                ) : (
                  <>
                    <RunBadge status={d.lastRunStatus} /> <When iso={d.lastRunAt} />
                  </>
                ),
            },
            {
              header: t('backup.policy'),
              wide: true,
              cell: (d) => d.policy ?? <span className="muted">{t('common.none')}</span>,
            },
          ]}
        />
      </Panel>
    </BackupArea>
  );
}
