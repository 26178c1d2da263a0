import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { BrowseEntry } from '@contracts';
import { Button, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../../ui';
import { fileUrl, folderLink, formatBytes, useFolder, zipUrl } from './api';
import { FileIcon, FolderIcon } from './icons';
import './browse.css';

/** The crumbs of a path: the snapshot's root, then each folder down to this one. */
function Breadcrumbs({ ciId, snapshotId, path }: { ciId: string; snapshotId: string; path: string }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <nav aria-label="Folder path" className="browse-crumbs">
      <ol>
        <li>
          {parts.length === 0 ? (
            <span aria-current="page">Snapshot</span>
          ) : (
            <Link to={folderLink(ciId, snapshotId, '/')}>Snapshot</Link>
          )}
        </li>
        {parts.map((p, i) => {
          const here = `/${parts.slice(0, i + 1).join('/')}`;
          return (
            <li key={here}>
              {i === parts.length - 1 ? (
                <span aria-current="page">{p}</span>
              ) : (
                <Link to={folderLink(ciId, snapshotId, here)}>{p}</Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function EntryRow({ ciId, snapshotId, e }: { ciId: string; snapshotId: string; e: BrowseEntry }) {
  return (
    <tr>
      <td>
        <span className="browse-name">
          {e.type === 'dir' ? <FolderIcon /> : <FileIcon />}
          {e.type === 'dir' ? (
            <Link to={folderLink(ciId, snapshotId, e.path)}>{e.name}</Link>
          ) : (
            <span>
              {e.name}
              {e.type === 'symlink' && <span className="muted"> → {e.target}</span>}
            </span>
          )}
        </span>
      </td>
      <td className="num">{e.type === 'file' ? formatBytes(e.size) : ''}</td>
      <td className="hide-narrow">{formatDateTime(e.mtime)}</td>
      <td className="cell-actions">
        {e.type === 'file' && (
          <a className="btn btn-ghost btn-sm" href={fileUrl(ciId, snapshotId, e.path)} download={e.name}>
            Download<span className="visually-hidden"> {e.name}</span>
          </a>
        )}
        {e.type === 'dir' && (
          <a className="btn btn-ghost btn-sm" href={zipUrl(ciId, snapshotId, e.path)} download>
            Zip<span className="visually-hidden"> of {e.name}</span>
          </a>
        )}
      </td>
    </tr>
  );
}

/** One folder of a snapshot: breadcrumbs, folders first, then files with sizes and dates, and downloads. */
export function FolderPage() {
  const { ciId = '', snapshotId = '' } = useParams();
  const [params] = useSearchParams();
  const path = params.get('path') || '/';
  const folder = useFolder(ciId, snapshotId, path);
  const first = folder.data?.pages[0];
  const entries = folder.data?.pages.flatMap((p) => p.entries) ?? [];
  const title = first ? `${first.device.name}, ${formatDateTime(first.snapshot.time)}` : 'Snapshot';
  return (
    <>
      <PageHeader
        title={title}
        description={first ? `Snapshot ${first.snapshot.shortId} from ${first.snapshot.hostname}` : undefined}
        back={{ to: `/backups/browse/${ciId}`, label: first ? `Backups of ${first.device.name}` : 'Backups' }}
        actions={
          <a className="btn btn-primary" href={zipUrl(ciId, snapshotId, path)} download>
            Download this folder as a zip
          </a>
        }
      />
      <Panel padded={false}>
        <div className="panel-body">
          <Breadcrumbs ciId={ciId} snapshotId={snapshotId} path={first?.path ?? path} />
        </div>
        {folder.isPending ? (
          <Loading />
        ) : folder.isError ? (
          <div className="panel-body">
            <ErrorAlert error={folder.error} title="The folder could not be shown" />
          </div>
        ) : entries.length === 0 ? (
          <Empty>This folder is empty.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Folder contents">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col" className="hide-narrow">
                    Modified
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <EntryRow key={e.path} ciId={ciId} snapshotId={snapshotId} e={e} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {folder.hasNextPage && (
          <div className="table-footer">
            <span className="muted">
              {entries.length} of {first?.total ?? 0}{' '}
            </span>
            <Button busy={folder.isFetchingNextPage} onClick={() => void folder.fetchNextPage()}>
              Show more
            </Button>
          </div>
        )}
      </Panel>
    </>
  );
}
