import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { BrowseEntry } from '@contracts';
import { Button, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../../ui';
import { fileUrl, folderLink, formatBytes, useFolder, zipUrl } from './api';
import { useT } from '../../../i18n';
import { FileIcon, FolderIcon } from './icons';
import './browse.css';

/** The crumbs of a path: the snapshot's root, then each folder down to this one. */
function Breadcrumbs({ ciId, snapshotId, path }: { ciId: string; snapshotId: string; path: string }) {
  const t = useT();
  const parts = path.split('/').filter(Boolean);
  return (
    <nav aria-label={t('backup.folder.path')} className="browse-crumbs">
      <ol>
        <li>
          {parts.length === 0 ? (
            <span aria-current="page">{t('backup.folder.snapshot')}</span>
          ) : (
            <Link to={folderLink(ciId, snapshotId, '/')}>{t('backup.folder.snapshot')}</Link>
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
  const t = useT();
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
            {t('backup.folder.download')}
            <span className="visually-hidden"> {e.name}</span>
          </a>
        )}
        {e.type === 'dir' && (
          <a className="btn btn-ghost btn-sm" href={zipUrl(ciId, snapshotId, e.path)} download>
            {t('backup.folder.zip')}
            <span className="visually-hidden"> {t('backup.folder.zipOf', { name: e.name })}</span>
          </a>
        )}
      </td>
    </tr>
  );
}

/** One folder of a snapshot: breadcrumbs, folders first, then files with sizes and dates, and downloads. */
export function FolderPage() {
  const t = useT();
  const { ciId = '', snapshotId = '' } = useParams();
  const [params] = useSearchParams();
  const path = params.get('path') || '/';
  const folder = useFolder(ciId, snapshotId, path);
  const first = folder.data?.pages[0];
  const entries = folder.data?.pages.flatMap((p) => p.entries) ?? [];
  const title = first
    ? `${first.device.name}, ${formatDateTime(first.snapshot.time)}`
    : t('backup.folder.snapshot');
  return (
    <>
      <PageHeader
        title={title}
        description={
          first
            ? t('backup.folder.about', { id: first.snapshot.shortId, host: first.snapshot.hostname })
            : undefined
        }
        back={{
          to: `/backups/browse/${ciId}`,
          label: first ? t('backup.browse.backupsOf', { name: first.device.name }) : t('backup.backups'),
        }}
        actions={
          <a className="btn btn-primary" href={zipUrl(ciId, snapshotId, path)} download>
            {t('backup.folder.downloadZip')}
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
            <ErrorAlert error={folder.error} title={t('backup.folder.notShown')} />
          </div>
        ) : entries.length === 0 ? (
          <Empty>{t('backup.folder.empty')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label={t('backup.folder.contents')}>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col" className="num">
                    {t('backup.browse.size')}
                  </th>
                  <th scope="col" className="hide-narrow">
                    {t('backup.folder.modified')}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t('backup.folder.download')}</span>
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
              {t('backup.folder.shown', { shown: entries.length, total: first?.total ?? 0 })}{' '}
            </span>
            <Button busy={folder.isFetchingNextPage} onClick={() => void folder.fetchNextPage()}>
              {t('backup.folder.more')}
            </Button>
          </div>
        )}
      </Panel>
    </>
  );
}
