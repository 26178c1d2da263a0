import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { BrowseChange, BrowseChangeKind } from '@contracts';
import { Alert, Badge, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../../ui';
import { folderLink, formatBytes, useDiff } from './api';
import './browse.css';

const KIND: Record<BrowseChangeKind, { label: string; tone?: 'success' | 'danger' | 'primary' }> = {
  added: { label: 'Added', tone: 'success' },
  removed: { label: 'Removed', tone: 'danger' },
  changed: { label: 'Changed', tone: 'primary' },
  type: { label: 'Replaced' },
};

function sizeOf(c: BrowseChange): string {
  if (c.kind === 'changed') return `${formatBytes(c.sizeBefore)} → ${formatBytes(c.sizeAfter)}`;
  const n = c.kind === 'removed' ? c.sizeBefore : c.sizeAfter;
  if (c.type === 'dir') return `${formatBytes(n)} in ${c.files ?? 0} file${c.files === 1 ? '' : 's'}`;
  return n === null ? '' : formatBytes(n);
}

/** What changed between two snapshots of a device: added, removed and changed files, with sizes. */
export function ComparePage() {
  const { ciId = '' } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const diff = useDiff(ciId, from, to);
  const d = diff.data;
  const name = d?.device.name ?? 'the device';
  return (
    <>
      <PageHeader
        title={d ? `${name}: what changed` : 'Compare snapshots'}
        description={
          d
            ? `From ${formatDateTime(d.from.time)} (${d.from.shortId}) to ${formatDateTime(d.to.time)} (${d.to.shortId})`
            : undefined
        }
        back={{ to: `/backups/browse/${ciId}`, label: `Backups of ${name}` }}
      />
      {from === '' || to === '' ? (
        <Alert tone="info">Pick two snapshots on the device's backups page to compare them.</Alert>
      ) : diff.isPending ? (
        <Loading label="Comparing…" />
      ) : diff.isError ? (
        <ErrorAlert error={diff.error} title="The snapshots could not be compared" />
      ) : (
        <Panel padded={false}>
          <div className="panel-body browse-totals" aria-label="Totals">
            <span>
              {d!.totals.filesAdded} files added ({formatBytes(d!.totals.bytesAdded)})
            </span>
            <span>
              {d!.totals.filesRemoved} removed ({formatBytes(d!.totals.bytesRemoved)})
            </span>
            <span>{d!.totals.filesChanged} changed</span>
          </div>
          {d!.truncated && (
            <div className="panel-body">
              <Alert tone="warning">Only the first {d!.changes.length} changes are listed.</Alert>
            </div>
          )}
          {d!.changes.length === 0 ? (
            <Empty>Nothing changed between these snapshots.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Changes">
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">Path</th>
                    <th scope="col" className="num">
                      Size
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d!.changes.map((c) => (
                    <tr key={`${c.kind}:${c.path}`}>
                      <td>
                        <Badge tone={KIND[c.kind].tone}>{KIND[c.kind].label}</Badge>
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
                      <td className="num">{sizeOf(c)}</td>
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
