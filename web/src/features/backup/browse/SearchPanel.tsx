import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BrowseMatch } from '@contracts';
import { Button, Empty, ErrorAlert, Loading, Panel, TextField, formatDateTime } from '../../../ui';
import { fileUrl, folderLink, formatBytes, useSearch } from './api';
import { useT } from '../../../i18n';
import { FileIcon, FolderIcon } from './icons';

/** The matches of one path, newest snapshot first: one row per path, its versions below. */
function byPath(matches: BrowseMatch[]): [string, BrowseMatch[]][] {
  const groups = new Map<string, BrowseMatch[]>();
  for (const m of matches) groups.set(m.path, [...(groups.get(m.path) ?? []), m]);
  return [...groups];
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

/** Search a device's snapshots by name (a part of it, or a pattern such as *.docx). */
export function SearchPanel({ ciId }: { ciId: string }) {
  const t = useT();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const search = useSearch(ciId, q);
  const matches = search.data?.pages.flatMap((p) => p.matches) ?? [];
  const last = search.data?.pages[search.data.pages.length - 1];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };
  return (
    <Panel title={t('backup.browse.find')} padded={false}>
      <form className="toolbar" role="search" onSubmit={submit}>
        <TextField
          className="grow"
          label={t('common.name')}
          type="search"
          placeholder={t('backup.browse.findPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit" variant="primary" disabled={text.trim() === ''}>
          {t('backup.browse.searchAll')}
        </Button>
      </form>
      {q === '' ? null : search.isPending ? (
        <Loading label={t('backup.browse.searching')} />
      ) : search.isError ? (
        <div className="panel-body">
          <ErrorAlert error={search.error} title={t('backup.browse.searchFailed')} />
        </div>
      ) : matches.length === 0 && !search.hasNextPage ? (
        <Empty>{t('backup.browse.nothing', { q })}</Empty>
      ) : (
        <ul className="browse-matches" aria-label={t('backup.browse.results')}>
          {byPath(matches).map(([path, versions]) => (
            <li key={path}>
              <div className="browse-match-path">
                {versions[0]!.type === 'dir' ? <FolderIcon /> : <FileIcon />}
                <Link to={folderLink(ciId, versions[0]!.snapshotId, parentOf(path))}>{path}</Link>
              </div>
              <div className="muted">
                {t('backup.browse.inSnapshots', { count: versions.length })}{' '}
                {versions.slice(0, 6).map((v, i) => (
                  <span key={v.snapshotId}>
                    {i > 0 && ', '}
                    {v.type === 'file' ? (
                      <a href={fileUrl(ciId, v.snapshotId, v.path)} download={v.name}>
                        {formatDateTime(v.snapshotTime)} ({formatBytes(v.size)})
                      </a>
                    ) : (
                      <Link to={folderLink(ciId, v.snapshotId, v.path)}>
                        {formatDateTime(v.snapshotTime)}
                      </Link>
                    )}
                  </span>
                ))}
                {versions.length > 6 && ` ${t('backup.browse.more', { count: versions.length - 6 })}`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {q !== '' && search.hasNextPage && (
        <div className="table-footer">
          <span className="muted">
            {t('backup.browse.searched', { searched: last?.searched ?? 0, count: last?.snapshots ?? 0 })}{' '}
          </span>
          <Button busy={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
            {t('backup.browse.further')}
          </Button>
        </div>
      )}
    </Panel>
  );
}
