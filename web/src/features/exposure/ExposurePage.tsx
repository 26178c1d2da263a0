import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { EXPOSURE_SEVERITIES, type Exposure, type ExposureSeverity } from '@contracts';
import type { Page } from '../../api/client';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import {
  Badge,
  Empty,
  ErrorAlert,
  Loading,
  Options,
  PageHeader,
  Panel,
  SelectField,
  formatDate,
} from '../../ui';
import { severityLabel, severityTone as tone } from './labels';

interface ServiceRow {
  service: { id: string; name: string };
  computers: number;
  open: Partial<Record<ExposureSeverity, number>>;
  overdue: number;
}

/** Where an exposure stands: open (due, overdue) or fixed. */
function Remediation({ e }: { e: Exposure }) {
  const t = useT();
  const state = e.closedAt ? (
    <Badge tone="success">
      {e.closedVersion
        ? t('exposure.fixedInVersion', { version: e.closedVersion })
        : t('exposure.fixedInLater')}
    </Badge>
  ) : e.overdue ? (
    <Badge tone="danger">{t('exposure.overdueSince', { date: formatDate(e.dueAt) })}</Badge>
  ) : (
    <span>{t('exposure.dueOn', { date: formatDate(e.dueAt) })}</span>
  );
  return (
    <div className="stack-sm">
      <div>{state}</div>
      {e.tickets.length > 0 && (
        <ul className="plain-list" aria-label={t('exposure.tickets')}>
          {e.tickets.map((k) => (
            <li key={k.id}>
              <Link to={`/tickets/${encodeURIComponent(k.id)}`}>{k.key}</Link>{' '}
              <span className="muted">
                {k.resolved
                  ? t('exposure.ticketForResolved', { service: k.service })
                  : t('exposure.ticketFor', { service: k.service })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Exposure per business service: open exposures by severity, and how many are overdue. */
function ByService() {
  const t = useT();
  const q = useQuery({
    queryKey: ['exposure', 'services'],
    queryFn: ({ signal }) => api.get<{ items: ServiceRow[] }>('/api/v1/exposure/services', undefined, signal),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('exposure.servicesLoadFailed')} />;
  if (q.data.items.length === 0) return <Empty>{t('exposure.noServiceExposed')}</Empty>;
  return (
    <table className="table" aria-label={t('exposure.byServiceTable')}>
      <thead>
        <tr>
          <th>{t('exposure.businessService')}</th>
          <th className="num">{t('exposure.computers')}</th>
          {EXPOSURE_SEVERITIES.map((s) => (
            <th key={s} className="num">
              {severityLabel(t, s)}
            </th>
          ))}
          <th className="num">{t('exposure.overdue')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.items.map((r) => (
          <tr key={r.service.id}>
            <td>
              <Link to={`/inventory/${r.service.id}`}>{r.service.name}</Link>
            </td>
            <td className="num">{r.computers}</td>
            {EXPOSURE_SEVERITIES.map((s) => (
              <td key={s} className="num">
                {r.open[s] ?? 0}
              </td>
            ))}
            <td className="num">{r.overdue > 0 ? <Badge tone="danger">{r.overdue}</Badge> : 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Vulnerability exposure: per business service, and per item with severity, fixed versions and remediation. */
export function ExposurePage() {
  const t = useT();
  const [params] = useSearchParams();
  const computerId = params.get('computerId') ?? undefined;
  const [severity, setSeverity] = useState('');
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const q = useQuery({
    queryKey: ['exposure', 'list', computerId, severity, status],
    queryFn: ({ signal }) =>
      api.get<Page<Exposure>>(
        '/api/v1/exposures',
        { limit: 200, status, severity: severity || undefined, computerId },
        signal,
      ),
  });
  return (
    <>
      <PageHeader title={t('exposure.title')} description={t('exposure.description')} />
      {!computerId && (
        <Panel title={t('exposure.byService')}>
          <ByService />
        </Panel>
      )}
      <Panel title={computerId ? t('exposure.ofThisItem') : t('exposure.exposures')}>
        <div className="toolbar">
          <SelectField
            label={t('exposure.severity')}
            value={severity}
            onChange={(e) => setSeverity(e.target.value)}
          >
            <option value="">{t('exposure.anySeverity')}</option>
            <Options items={EXPOSURE_SEVERITIES} value={(s) => s} label={(s) => severityLabel(t, s)} />
          </SelectField>
          <SelectField
            label={t('exposure.state')}
            value={status}
            onChange={(e) => setStatus(e.target.value === 'closed' ? 'closed' : 'open')}
          >
            <option value="open">{t('exposure.stateOpen')}</option>
            <option value="closed">{t('exposure.stateFixed')}</option>
          </SelectField>
        </div>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title={t('exposure.loadFailed')} />
        ) : q.data.items.length === 0 ? (
          <Empty>{t('exposure.empty')}</Empty>
        ) : (
          <table className="table" aria-label={t('exposure.exposures')}>
            <thead>
              <tr>
                <th>{t('exposure.advisory')}</th>
                <th>{t('exposure.severity')}</th>
                <th>{t('exposure.item')}</th>
                <th>{t('exposure.package')}</th>
                <th>{t('exposure.installed')}</th>
                <th>{t('exposure.fixedIn')}</th>
                <th>{t('exposure.remediation')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <strong>{e.advisory.id}</strong>
                    <div className="muted">{e.advisory.summary}</div>
                  </td>
                  <td>
                    <Badge tone={tone(e.severity)}>{severityLabel(t, e.severity)}</Badge>
                    {e.advisory.cvssScore !== null && <span className="muted"> {e.advisory.cvssScore}</span>}
                  </td>
                  <td>
                    <Link to={`/inventory/${e.computer.id}`}>{e.computer.name}</Link>
                  </td>
                  <td>
                    {e.package} <span className="muted">({e.ecosystem})</span>
                  </td>
                  <td className="mono">{e.installedVersion}</td>
                  <td className="mono">{e.fixedVersion ?? '—'}</td>
                  <td>
                    <Remediation e={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {q.data?.nextCursor && <p className="muted">{t('exposure.truncated')}</p>}
      </Panel>
    </>
  );
}
