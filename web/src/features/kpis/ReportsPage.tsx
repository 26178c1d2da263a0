// /reports: my scheduled reports with when each was last sent or failed, "send now", its history and a form
// to schedule a new one.
import { useState } from 'react';
import type { Report, ReportRun } from '@contracts';
import { useT } from '../../i18n';
import {
  Badge,
  Button,
  ConfirmButton,
  Empty,
  ErrorAlert,
  formatDateTime,
  Loading,
  PageHeader,
  Panel,
} from '../../ui';
import { ReportForm } from './ReportForm';
import { useDeleteReport, useReportRuns, useReports, useSendReport, useToggleReport } from './reportsApi';
import './kpis.css';

export function ReportsPage() {
  const t = useT();
  const q = useReports();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title={t('reports.title')}
        description={t('reports.description')}
        actions={
          !adding && (
            <Button variant="primary" onClick={() => setAdding(true)}>
              {t('reports.new')}
            </Button>
          )
        }
      />
      {adding && <ReportForm done={() => setAdding(false)} />}
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title={t('reports.loadFailed')} />
      ) : q.data.length === 0 ? (
        <Empty>{t('reports.none')}</Empty>
      ) : (
        q.data.map((r) => <ReportPanel key={r.id} r={r} />)
      )}
    </>
  );
}

function useWhen() {
  const t = useT();
  return (r: Report) =>
    r.schedule.frequency === 'weekly'
      ? t('reports.weeklyAt', {
          day: t(`reports.weekday.${r.schedule.day as 1 | 2 | 3 | 4 | 5 | 6 | 7}`),
          hour: r.schedule.hour,
        })
      : t('reports.monthlyAt', { day: r.schedule.day, hour: r.schedule.hour });
}

function ReportPanel({ r }: { r: Report }) {
  const t = useT();
  const when = useWhen();
  const send = useSendReport(r.id);
  const remove = useDeleteReport(r.id);
  const toggle = useToggleReport(r);
  const [history, setHistory] = useState(false);
  const content = r.dashboard
    ? t('reports.ofDashboard', { name: r.dashboard.name })
    : r.kpis.map((k) => t(`kpis.name.${k}`)).join(', ');
  const to = [...r.users.map((u) => u.name), ...r.teams.map((x) => t('reports.teamNamed', { name: x.name }))];
  return (
    <Panel title={r.name}>
      <dl className="report-facts">
        <dt>{t('reports.content')}</dt>
        <dd>
          {content}
          {r.team && ` · ${t('reports.teamNamed', { name: r.team.name })}`}
          {r.service && ` · ${t('reports.serviceNamed', { name: r.service.name })}`}
        </dd>
        <dt>{t('reports.period')}</dt>
        <dd>{t(`reports.periods.${r.period}`)}</dd>
        <dt>{t('reports.schedule')}</dt>
        <dd>{r.enabled ? when(r) : t('reports.paused')}</dd>
        <dt>{t('reports.recipients')}</dt>
        <dd>{to.join(', ')}</dd>
        <dt>{t('reports.formats')}</dt>
        <dd>{r.formats.map((f) => t(`reports.format.${f}`)).join(', ')}</dd>
        <dt>{t('reports.lastSent')}</dt>
        <dd data-testid="last-sent">{r.lastSentAt ? formatDateTime(r.lastSentAt) : t('reports.never')}</dd>
        {r.lastFailedAt && (
          <>
            <dt>{t('reports.lastFailed')}</dt>
            <dd>
              <Badge tone="danger">{formatDateTime(r.lastFailedAt)}</Badge> {r.lastError}
            </dd>
          </>
        )}
      </dl>
      {send.isError && <ErrorAlert error={send.error} title={t('reports.sendFailed')} />}
      {toggle.isError && <ErrorAlert error={toggle.error} title={t('reports.saveFailed')} />}
      <div className="kpi-toolbar">
        <Button variant="primary" busy={send.isPending} onClick={() => send.mutate()}>
          {t('reports.sendNow')}
        </Button>
        <Button onClick={() => setHistory(!history)}>{t('reports.history')}</Button>
        <Button busy={toggle.isPending} onClick={() => toggle.mutate()}>
          {r.enabled ? t('reports.pause') : t('reports.resume')}
        </Button>
        <ConfirmButton
          confirmLabel={t('kpis.confirmDelete')}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
        >
          {t('common.delete')}
        </ConfirmButton>
      </div>
      {(history || send.isSuccess) && <History id={r.id} />}
    </Panel>
  );
}

function History({ id }: { id: string }) {
  const t = useT();
  const q = useReportRuns(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (q.data.length === 0) return <Empty>{t('reports.noRuns')}</Empty>;
  return (
    <table className="table">
      <caption className="visually-hidden">{t('reports.history')}</caption>
      <thead>
        <tr>
          <th>{t('reports.when')}</th>
          <th>{t('reports.period')}</th>
          <th>{t('reports.statusColumn')}</th>
          <th>{t('reports.recipients')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((x) => (
          <tr key={x.id}>
            <td>
              {formatDateTime(x.createdAt)}
              {x.requestedBy && ` · ${t('reports.sentBy', { name: x.requestedBy.name })}`}
            </td>
            <td>{t('reports.periodDays', { from: x.periodFrom, to: x.periodTo })}</td>
            <td>
              <RunStatus x={x} />
            </td>
            <td>{x.recipients.map((p) => p.name).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunStatus({ x }: { x: ReportRun }) {
  const t = useT();
  const tone = x.status === 'sent' ? 'success' : x.status === 'failed' ? 'danger' : 'primary';
  return (
    <>
      <Badge tone={tone}>{t(`reports.status.${x.status}`)}</Badge>
      {x.error && ` ${x.error}`}
    </>
  );
}
