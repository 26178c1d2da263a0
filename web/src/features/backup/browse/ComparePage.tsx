import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { BrowseChange, BrowseChangeKind } from '@contracts';
import { Alert, Badge, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../../ui';
import { folderLink, formatBytes, useDiff } from './api';
import { useT, type Translate } from '../../../i18n';
import './browse.css';

const TONE: Record<BrowseChangeKind, 'success' | 'danger' | 'primary' | undefined> = {
  added: 'success',
  removed: 'danger',
  changed: 'primary',
  type: undefined,
};

function sizeOf(t: Translate, c: BrowseChange): string {
  if (c.kind === 'changed') return `${formatBytes(c.sizeBefore)} → ${formatBytes(c.sizeAfter)}`;
  const n = c.kind === 'removed' ? c.sizeBefore : c.sizeAfter;
  if (c.type === 'dir') return t('backup.compare.inFiles', { size: formatBytes(n), count: c.files ?? 0 });
  return n === null ? '' : formatBytes(n);
}

/** What changed between two snapshots of a device: added, removed and changed files, with sizes. */
export function ComparePage() {
  const t = useT();
  const { ciId = '' } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const diff = useDiff(ciId, from, to);
  const d = diff.data;
  const name = d?.device.name ?? t('backup.compare.theDevice');
  return (
    <>
      <PageHeader
        title={d ? t('backup.compare.whatChanged', { name }) : t('backup.compare.title')}
        description={
          d
            ? t('backup.compare.fromTo', {
                from: formatDateTime(d.from.time),
                fromId: d.from.shortId,
                to: formatDateTime(d.to.time),
                toId: d.to.shortId,
              })
            : undefined
        }
        back={{ to: `/backups/browse/${ciId}`, label: t('backup.browse.backupsOf', { name }) }}
      />
      {from === '' || to === '' ? (
        <Alert tone="info">{t('backup.compare.pickTwo')}</Alert>
      ) : diff.isPending ? (
        <Loading label={t('backup.compare.comparing')} />
      ) : diff.isError ? (
        <ErrorAlert error={diff.error} title={t('backup.compare.failed')} />
      ) : (
        <Panel padded={false}>
          <div className="panel-body browse-totals" aria-label={t('backup.compare.totals')}>
            <span>
              {t('backup.compare.added', {
                count: d!.totals.filesAdded,
                size: formatBytes(d!.totals.bytesAdded),
              })}
            </span>
            <span>
              {t('backup.compare.removed', {
                count: d!.totals.filesRemoved,
                size: formatBytes(d!.totals.bytesRemoved),
              })}
            </span>
            <span>{t('backup.compare.changed', { count: d!.totals.filesChanged })}</span>
          </div>
          {d!.truncated && (
            <div className="panel-body">
              <Alert tone="warning">{t('backup.compare.truncated', { count: d!.changes.length })}</Alert>
            </div>
          )}
          {d!.changes.length === 0 ? (
            <Empty>{t('backup.compare.nothing')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('backup.compare.changes')}>
                <thead>
                  <tr>
                    <th scope="col">{t('backup.compare.change')}</th>
                    <th scope="col">{t('backup.compare.path')}</th>
                    <th scope="col" className="num">
                      {t('backup.browse.size')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d!.changes.map((c) => (
                    <tr key={`${c.kind}:${c.path}`}>
                      <td>
                        <Badge tone={TONE[c.kind]}>{t(`backup.compare.kind.${c.kind}`)}</Badge>
                      </td>
                      <td className="browse-paths">
                        {c.type === 'dir' ? (
                          <Link to={folderLink(ciId, c.kind === 'removed' ? from : to, c.path)}>
                            {c.path}/
                          </Link>
                        ) : (
                          c.path
                        )}
                      </td>
                      <td className="num">{sizeOf(t, c)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}
    </>
  );
}
