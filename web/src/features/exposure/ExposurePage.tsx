import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { EXPOSURE_SEVERITIES, type Exposure, type ExposureSeverity } from '@contracts';
import type { Page } from '../../api/client';
import { api } from '../../api/client';
import {
  Badge,
  Empty,
  ErrorAlert,
  Loading,
  Options,
  PageHeader,
  Panel,
  SelectField,
  capitalise,
  formatDate,
} from '../../ui';

interface ServiceRow {
  service: { id: string; name: string };
  computers: number;
  open: Partial<Record<ExposureSeverity, number>>;
  overdue: number;
}

const tone = (s: ExposureSeverity) => (s === 'critical' || s === 'high' ? 'danger' : undefined);

/** Where an exposure stands: open (due, overdue) or fixed. */
function Remediation({ e }: { e: Exposure }) {
  if (e.closedAt) return <Badge tone="success">Fixed in {e.closedVersion ?? 'a later version'}</Badge>;
  return e.overdue ? (
    <Badge tone="danger">Overdue since {formatDate(e.dueAt)}</Badge>
  ) : (
    <span>Due {formatDate(e.dueAt)}</span>
  );
}

/** Exposure per business service: open exposures by severity, and how many are overdue. */
function ByService() {
  const q = useQuery({
    queryKey: ['exposure', 'services'],
    queryFn: ({ signal }) => api.get<{ items: ServiceRow[] }>('/api/v1/exposure/services', undefined, signal),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title="The services could not be loaded" />;
  if (q.data.items.length === 0) return <Empty>No business service is exposed.</Empty>;
  return (
    <table className="table" aria-label="Exposure by business service">
      <thead>
        <tr>
          <th>Business service</th>
          <th className="num">Computers</th>
          {EXPOSURE_SEVERITIES.map((s) => (
            <th key={s} className="num">
              {capitalise(s)}
            </th>
          ))}
          <th className="num">Overdue</th>
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
      <PageHeader
        title="Vulnerability exposure"
        description="Which computers run software with known vulnerabilities, how severe, the version that fixes it and when the fix is due."
      />
      {!computerId && (
        <Panel title="By business service">
          <ByService />
        </Panel>
      )}
      <Panel title={computerId ? 'Exposures of this item' : 'Exposures'}>
        <div className="toolbar">
          <SelectField label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">Any</option>
            <Options items={EXPOSURE_SEVERITIES} value={(s) => s} label={capitalise} />
          </SelectField>
          <SelectField
            label="State"
            value={status}
            onChange={(e) => setStatus(e.target.value === 'closed' ? 'closed' : 'open')}
          >
            <option value="open">Open</option>
            <option value="closed">Fixed</option>
          </SelectField>
        </div>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="The exposures could not be loaded" />
        ) : q.data.items.length === 0 ? (
          <Empty>No exposure here.</Empty>
        ) : (
          <table className="table" aria-label="Exposures">
            <thead>
              <tr>
                <th>Advisory</th>
                <th>Severity</th>
                <th>Item</th>
                <th>Package</th>
                <th>Installed</th>
                <th>Fixed in</th>
                <th>Remediation</th>
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
                    <Badge tone={tone(e.severity)}>{capitalise(e.severity)}</Badge>
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
        {q.data?.nextCursor && (
          <p className="muted">The 200 most urgent are shown: filter by severity for more.</p>
        )}
      </Panel>
    </>
  );
}
