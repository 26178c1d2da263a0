import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../../i18n';
import { Empty, ErrorAlert, Loading, PageHeader, Panel, SelectField, TextField } from '../../ui';
import { articlePath } from './api';
import { useAvoidedReport } from './flowApi';

type Period = 'this' | 'last' | 'd90' | 'custom';
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first and last day of a period, as YYYY-MM-DD (UTC). */
function rangeOf(p: Period, now = new Date()): [string, string] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (p === 'last') return [iso(new Date(Date.UTC(y, m - 1, 1))), iso(new Date(Date.UTC(y, m, 0)))];
  if (p === 'd90') return [iso(new Date(now.getTime() - 89 * 86_400_000)), iso(now)];
  return [iso(new Date(Date.UTC(y, m, 1))), iso(now)];
}

/** Tickets avoided: per article, how many portal visits ended with the requester helped, over a period. */
export function AvoidedPage() {
  const t = useT();
  const [period, setPeriod] = useState<Period>('this');
  const [custom, setCustom] = useState(() => rangeOf('this'));
  const [from, to] = period === 'custom' ? custom : rangeOf(period);
  const report = useAvoidedReport(from, to);
  return (
    <div className="stack">
      <PageHeader
        title={t('kb.avoided.title')}
        description={t('kb.avoided.description')}
        back={{ to: '/kb', label: t('kb.list.title') }}
      />
      <div className="toolbar">
        <SelectField
          label={t('kb.avoided.period')}
          value={period}
          onChange={(e) => setPeriod(e.target.value as Period)}
        >
          <option value="this">{t('kb.avoided.thisMonth')}</option>
          <option value="last">{t('kb.avoided.lastMonth')}</option>
          <option value="d90">{t('kb.avoided.last90')}</option>
          <option value="custom">{t('kb.avoided.custom')}</option>
        </SelectField>
        {period === 'custom' && (
          <>
            <TextField
              label={t('kb.avoided.from')}
              type="date"
              value={custom[0]}
              onChange={(e) => setCustom([e.target.value, custom[1]])}
            />
            <TextField
              label={t('kb.avoided.to')}
              type="date"
              value={custom[1]}
              onChange={(e) => setCustom([custom[0], e.target.value])}
            />
          </>
        )}
      </div>
      <ErrorAlert error={report.error} />
      {report.isLoading && <Loading />}
      {report.data &&
        (report.data.items.length === 0 ? (
          <Empty>{t('kb.avoided.empty')}</Empty>
        ) : (
          <Panel title={t('kb.avoided.total', { n: String(report.data.total) })}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('kb.col.article')}</th>
                  <th>{t('kb.col.title')}</th>
                  <th>{t('kb.avoided.count')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={articlePath(a.id)}>{a.key}</Link>
                    </td>
                    <td>{a.title}</td>
                    <td>{a.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        ))}
    </div>
  );
}
