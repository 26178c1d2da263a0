import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { BrowseSnapshot } from '@contracts';
import { Button, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../../ui';
import { folderLink, formatBytes, useSnapshots } from './api';
import { SearchPanel } from './SearchPanel';
import './browse.css';

/** Which of a snapshot's folders it holds, shortened for a table cell. */
function folders(s: BrowseSnapshot): string {
  return s.paths.length <= 2
    ? s.paths.join(', ')
    : `${s.paths.slice(0, 2).join(', ')} and ${s.paths.length - 2} more`;
}

/**
 * A device's snapshots, newest first: browse one, pick two to compare, or search every snapshot by name.
 */
export function SnapshotsPage() {
  const { ciId = '' } = useParams();
  const navigate = useNavigate();
  const snaps = useSnapshots(ciId);
  const [picked, setPicked] = useState<string[]>([]);
  const list = snaps.data?.snapshots ?? [];
  const name = snaps.data?.device.name ?? 'Device';
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
        title={`Backups of ${name}`}
        description="Each backup is a snapshot of the device's files at that moment."
        back={{ to: '/backups/browse', label: 'All devices' }}
        actions={
          list.length > 1 && (
            <Button variant="secondary" disabled={picked.length !== 2} onClick={compare}>
              {picked.length === 2 ? 'Compare the two picked' : 'Pick two snapshots to compare'}
            </Button>
          )
        }
      />
      <div className="stack">
        <SearchPanel ciId={ciId} />
        <Panel title="Snapshots" padded={false}>
          {snaps.isPending ? (
            <Loading />
          ) : snaps.isError ? (
            <div className="panel-body">
              <ErrorAlert error={snaps.error} title="The backups could not be loaded" />
            </div>
          ) : list.length === 0 ? (
            <Empty>{name} has not been backed up yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Snapshots">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">Compare</span>
                    </th>
                    <th scope="col">Taken</th>
                    <th scope="col" className="hide-narrow">
                      From
                    </th>
                    <th scope="col">Folders</th>
                    <th scope="col" className="num">
                      Files
                    </th>
                    <th scope="col" className="num">
                      Size
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Pick the snapshot of ${formatDateTime(s.time)} to compare`}
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
                      <td className="browse-paths">{folders(s)}</td>
                      <td className="num">{s.files === null ? 'counting…' : s.files.toLocaleString()}</td>
                      <td className="num">{s.bytes === null ? 'counting…' : formatBytes(s.bytes)}</td>
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
