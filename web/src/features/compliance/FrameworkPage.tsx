import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import { Empty, ErrorAlert, Loading, PageHeader, Panel, TextField, formatDate } from '../../ui';
import { controlPath, exportUrl, useControls, useFramework } from './api';
import { ApplicabilityBadge, StatusBadge } from './StatusBadge';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The audit export of a period (managers). */
function ExportPanel({ id }: { id: string }) {
  const t = useT();
  const now = new Date();
  const [from, setFrom] = useState(`${now.getUTCFullYear()}-01-01`);
  const [to, setTo] = useState(isoDay(now));
  return (
    <Panel title={t('compliance.export.title')}>
      <p className="muted">{t('compliance.export.about')}</p>
      <div className="form-row">
        <TextField
          label={t('compliance.export.from')}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <TextField
          label={t('compliance.export.to')}
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </div>
      <a className="btn btn-primary" href={exportUrl(id, from, to)} download>
        {t('compliance.export.download')}
      </a>
    </Panel>
  );
}

/** A framework: its controls with applicability, owner and evidence status; the export. */
export function FrameworkPage() {
  const t = useT();
  const { id = '' } = useParams();
  const f = useFramework(id);
  const controls = useControls(id);
  const manager = ['manager', 'admin'].includes(useCurrentUser().role);
  if (f.isPending || controls.isPending) return <Loading />;
  if (f.isError) return <ErrorAlert error={f.error} title={t('compliance.loadFailed')} />;
  if (controls.isError) return <ErrorAlert error={controls.error} title={t('compliance.loadFailed')} />;
  return (
    <>
      <PageHeader
        title={f.data.name}
        back={{ to: '/compliance', label: t('compliance.title') }}
        description={t('compliance.soaCounts', {
          applicable: f.data.applicable,
          excluded: f.data.excluded,
          undecided: f.data.undecided,
        })}
      />
      <Panel title={t('compliance.controls')}>
        {controls.data.items.length === 0 ? (
          <Empty>{t('compliance.noControls')}</Empty>
        ) : (
          <table className="table" aria-label={t('compliance.controls')}>
            <thead>
              <tr>
                <th>{t('compliance.control')}</th>
                <th>{t('compliance.applicability')}</th>
                <th>{t('compliance.owner')}</th>
                <th>{t('compliance.nextReview')}</th>
                <th>{t('compliance.evidence')}</th>
              </tr>
            </thead>
            <tbody>
              {controls.data.items.map((c) => (
                <tr key={c.id}>
                  <td className="cell-strong">
                    <Link to={controlPath(c.id)}>
                      {c.ref} {c.title}
                    </Link>
                  </td>
                  <td>
                    <ApplicabilityBadge applicable={c.applicable} />
                  </td>
                  <td>{c.owner?.name ?? '—'}</td>
                  <td>{c.nextReview ? formatDate(c.nextReview) : '—'}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {manager && <ExportPanel id={id} />}
    </>
  );
}
