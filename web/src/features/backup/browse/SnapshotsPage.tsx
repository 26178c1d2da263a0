import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { BrowseSnapshot } from '@contracts';
import {
  Button,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  formatDateTime,
  formatNumber,
} from '../../../ui';
import { folderLink, formatBytes, useSnapshots } from './api';
import { useT, type Translate } from '../../../i18n';
import { SearchPanel } from './SearchPanel';
import './browse.css';

/** Which of a snapshot's folders it holds, shortened for a table cell. */
function folders(t: Translate, s: BrowseSnapshot): string {
  return s.paths.length <= 2
    ? s.paths.join(', ')
    : t('backup.browse.andMore', { list: s.paths.slice(0, 2).join(', '), count: s.paths.length - 2 });
}

/**
 * A device's snapshots, newest first: browse one, pick two to compare, or search every snapshot by name.
 */
export function SnapshotsPage() {
  const t = useT();
  const { ciId = '' } = useParams();
  const navigate = useNavigate();
  const snaps = useSnapshots(ciId);
  const [picked, setPicked] = useState<string[]>([]);
  const list = snaps.data?.snapshots ?? [];
  const name = snaps.data?.device.name ?? t('backup.browse.device');
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const compare = () => {
    // Older first: "what changed since".
    const [a, b] = [...picked].sort(
      (x, y) => list.findIndex((s) => s.id === y) - list.findIndex((s) => s.id === x),
    );
    void navigate(`/backups/browse/${ciId}/compare?from=${a!}&to=${b!}`);
  };

  return (
    <>
      <PageHeader
        title={t('backup.browse.backupsOf', { name })}
        description={t('backup.browse.snapshotsAbout')}
        back={{ to: '/backups/browse', label: t('backup.browse.allDevices') }}
        actions={
          list.length > 1 && (
            <Button variant="secondary" disabled={picked.length !== 2} onClick={compare}>
              {picked.length === 2 ? t('backup.browse.compare') : t('backup.browse.pickTwo')}
            </Button>
          )
        }
      />
      <div className="stack">
        <SearchPanel ciId={ciId} />
        <Panel title={t('backup.browse.snapshots')} padded={false}>
          {snaps.isPending ? (
            <Loading />
          ) : snaps.isError ? (
            <div className="panel-body">
              <ErrorAlert error={snaps.error} title={t('backup.browse.notLoaded')} />
            </div>
          ) : list.length === 0 ? (
            <Empty>{t('backup.browse.neverBackedUp', { name })}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('backup.browse.snapshots')}>
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">{t('backup.browse.compareColumn')}</span>
                    </th>
                    <th scope="col">{t('backup.browse.taken')}</th>
                    <th scope="col" className="hide-narrow">
                      {t('backup.browse.from')}
                    </th>
                    <th scope="col">{t('backup.browse.folders')}</th>
                    <th scope="col" className="num">
                      {t('backup.browse.files')}
                    </th>
                    <th scope="col" className="num">
                      {t('backup.browse.size')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('backup.browse.pick', { when: formatDateTime(s.time) })}
                          checked={picked.includes(s.id)}
                          onChange={() => toggle(s.id)}
                        />
                      </td>
                      <td>
                        <Link to={folderLink(ciId, s.id, '/')}>{formatDateTime(s.time)}</Link>
                        <span className="muted mono"> {s.shortId}</span>
                      </td>
                      <td className="hide-narrow">
                        {s.hostname}
                        {s.username !== null && <span className="muted"> ({s.username})</span>}
                      </td>
                      <td className="browse-paths">{folders(t, s)}</td>
                      <td className="num">
                        {s.files === null ? t('backup.browse.counting') : formatNumber(s.files)}
                      </td>
                      <td className="num">
                        {s.bytes === null ? t('backup.browse.counting') : formatBytes(s.bytes)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
