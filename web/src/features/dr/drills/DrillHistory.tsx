import { Link, useNavigate } from 'react-router-dom';
import type { DrillSummary } from '@contracts';
import { Button, ErrorAlert, ListTable, Panel, formatDateTime } from '../../../ui';
import { usePlanDrills, useStartDrill } from './api';
import { DrillBadge, Measure } from './parts';
import './drills.css';

/** The path of a drill's page. */
export const drillPath = (id: string) => `/dr/drills/${id}`;

/** The trend of a plan's drills in one line. */
function Trend({ planId }: { planId: string }) {
  const q = usePlanDrills(planId);
  const t = q.data?.pages[0]?.trend;
  if (!t || t.drills === 0) return null;
  return (
    <p className="muted" aria-label="Drill trend">
      {t.drills} {t.drills === 1 ? 'drill' : 'drills'}: {t.passed} passed, {t.failed} failed. Of the passed,{' '}
      {t.withinRto} restored within the RTO target and {t.withinRpo} within the RPO target.{' '}
      {t.lastPassedAt ? `Last passed ${formatDateTime(t.lastPassedAt)}.` : 'None has passed yet.'}
    </p>
  );
}

/**
 * A plan's drills on its page: "Run a drill now", the trend, and the history, newest first, each with its
 * measured RTO and achieved RPO against the plan's targets.
 */
export function DrillHistory({ planId, canRun }: { planId: string; canRun: boolean }) {
  const drills = usePlanDrills(planId);
  const start = useStartDrill(planId);
  const navigate = useNavigate();
  return (
    <Panel
      title="Drills"
      padded={false}
      actions={
        canRun && (
          <Button
            variant="primary"
            size="sm"
            busy={start.isPending}
            onClick={() => start.mutate(undefined, { onSuccess: (d) => void navigate(drillPath(d.id)) })}
          >
            Run a drill now
          </Button>
        )
      }
    >
      <div className="panel-body stack-sm">
        <ErrorAlert error={start.error} title="The drill did not start" />
        <Trend planId={planId} />
      </div>
      <ListTable<DrillSummary>
        query={drills}
        label="Drills"
        noun="drills"
        empty="This plan has not been drilled yet."
        rowKey={(d) => d.id}
        columns={[
          {
            header: 'Started',
            className: 'cell-when',
            cell: (d) => <Link to={drillPath(d.id)}>{formatDateTime(d.startedAt)}</Link>,
          },
          { header: 'Outcome', cell: (d) => <DrillBadge status={d.status} /> },
          {
            header: 'Measured RTO',
            cell: (d) => <Measure value={d.measuredRtoSeconds} target={d.rtoTargetSeconds} />,
          },
          {
            header: 'Achieved RPO',
            cell: (d) => <Measure value={d.achievedRpoSeconds} target={d.rpoTargetSeconds} />,
          },
          { header: 'By', wide: true, cell: (d) => d.startedBy },
          {
            header: 'Problem',
            wide: true,
            cell: (d) => (d.problemId ? <Link to={`/tickets/${d.problemId}`}>{d.problemKey}</Link> : '—'),
          },
        ]}
      />
    </Panel>
  );
}
