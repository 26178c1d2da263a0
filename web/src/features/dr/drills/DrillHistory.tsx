import { Link, useNavigate } from 'react-router-dom';
import type { DrillSummary } from '@contracts';
import { Button, ErrorAlert, ListTable, Panel, formatDateTime } from '../../../ui';
import { usePlanDrills, useStartDrill } from './api';
import { useT } from '../../../i18n';
import { DrillBadge, Measure } from './parts';
import './drills.css';

/** The path of a drill's page. */
export const drillPath = (id: string) => `/dr/drills/${id}`;

/** The trend of a plan's drills in one line. */
function Trend({ planId }: { planId: string }) {
  const t = useT();
  const q = usePlanDrills(planId);
  const trend = q.data?.pages[0]?.trend;
  if (!trend || trend.drills === 0) return null;
  return (
    <p className="muted" aria-label={t('dr.drills.trend')}>
      {t('dr.drills.trendText', {
        count: trend.drills,
        passed: trend.passed,
        failed: trend.failed,
        rto: trend.withinRto,
        rpo: trend.withinRpo,
      })}{' '}
      {trend.lastPassedAt
        ? t('dr.drills.lastPassed', { when: formatDateTime(trend.lastPassedAt) })
        : t('dr.drills.nonePassed')}
    </p>
  );
}

/**
 * A plan's drills on its page: "Run a drill now", the trend, and the history, newest first, each with its
 * measured RTO and achieved RPO against the plan's targets.
 */
export function DrillHistory({ planId, canRun }: { planId: string; canRun: boolean }) {
  const t = useT();
  const drills = usePlanDrills(planId);
  const start = useStartDrill(planId);
  const navigate = useNavigate();
  return (
    <Panel
      title={t('dr.drills')}
      padded={false}
      actions={
        canRun && (
          <Button
            variant="primary"
            size="sm"
            busy={start.isPending}
            onClick={() => start.mutate(undefined, { onSuccess: (d) => void navigate(drillPath(d.id)) })}
          >
            {t('dr.drills.run')}
          </Button>
        )
      }
    >
      <div className="panel-body stack-sm">
        <ErrorAlert error={start.error} title={t('dr.drills.notStarted')} />
        <Trend planId={planId} />
      </div>
      <ListTable<DrillSummary>
        query={drills}
        label={t('dr.drills')}
        noun={t('dr.drills.noun')}
        empty={t('dr.drills.none')}
        rowKey={(d) => d.id}
        columns={[
          {
            header: t('dr.drill.started'),
            className: 'cell-when',
            cell: (d) => <Link to={drillPath(d.id)}>{formatDateTime(d.startedAt)}</Link>,
          },
          { header: t('dr.drill.outcome'), cell: (d) => <DrillBadge status={d.status} /> },
          {
            header: t('dr.drill.rto'),
            cell: (d) => <Measure value={d.measuredRtoSeconds} target={d.rtoTargetSeconds} />,
          },
          {
            header: t('dr.drill.rpo'),
            cell: (d) => <Measure value={d.achievedRpoSeconds} target={d.rpoTargetSeconds} />,
          },
          { header: t('dr.drills.by'), wide: true, cell: (d) => d.startedBy },
          {
            header: t('dr.drill.problem'),
            wide: true,
            cell: (d) => (d.problemId ? <Link to={`/tickets/${d.problemId}`}>{d.problemKey}</Link> : '—'),
          },
        ]}
      />
    </Panel>
  );
}
