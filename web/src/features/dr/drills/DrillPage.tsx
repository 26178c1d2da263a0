import { Link, useParams } from 'react-router-dom';
import type { Drill, DrillStep } from '@contracts';
import {
  Alert,
  Button,
  ConfirmButton,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  formatDateTime,
} from '../../../ui';
import { useCurrentUser } from '../../auth/session';
import { useCancelDrill, useDrill, useTickStep, useVerifyEvidence } from './api';
import { duration, stepText } from './labels';
import { DrillBadge, Measure } from './parts';
import './drills.css';

/** One step: what it restored or asked of a person, its times, and a tick-off button while it waits. */
function StepRow({ drill, step, canRun }: { drill: Drill; step: DrillStep; canRun: boolean }) {
  const tick = useTickStep(drill.id);
  const waiting = canRun && drill.status === 'running' && step.kind === 'manual' && step.status === 'pending';
  return (
    <tr aria-label={`Step ${step.position}`}>
      <td>{step.position}</td>
      <td className="cell-strong">
        {step.title}
        {step.snapshotId && (
          <div className="muted mono">
            snapshot {step.snapshotId.slice(0, 8)} of {formatDateTime(step.snapshotTime)} (
            {duration(step.snapshotAgeSeconds)} old)
          </div>
        )}
      </td>
      <td>
        <span className={`drill-step drill-step-${step.status}`}>{step.status}</span>
      </td>
      <td>
        {stepText(step)}
        {step.tickedAt && <div className="muted">at {formatDateTime(step.tickedAt)}</div>}
        {step.problems.length > 0 && (
          <ul className="drill-problems">
            {step.problems.slice(0, 5).map((p) => (
              <li key={p.path}>
                <span className="mono">{p.path}</span>: {p.message}
              </li>
            ))}
          </ul>
        )}
        <ErrorAlert error={tick.error} title="Not ticked off" />
      </td>
      <td>{duration(step.seconds)}</td>
      <td className="cell-actions">
        {waiting && (
          <Button size="sm" busy={tick.isPending} onClick={() => tick.mutate(step.position)}>
            Tick off
          </Button>
        )}
      </td>
    </tr>
  );
}

/** The evidence: its hash, a check against the audit trail, and the record itself. */
function Evidence({ drill }: { drill: Drill }) {
  const verify = useVerifyEvidence(drill.id);
  if (!drill.evidence) return null;
  return (
    <Panel title="Evidence">
      <div className="stack-sm">
        <p className="muted">
          Recorded when the drill finished and sealed in the audit trail; it cannot be changed. SHA-256{' '}
          <span className="mono" aria-label="Evidence SHA-256">
            {drill.evidenceSha256}
          </span>
        </p>
        <div>
          <Button size="sm" busy={verify.isPending} onClick={() => verify.mutate()}>
            Check against the audit trail
          </Button>
        </div>
        <ErrorAlert error={verify.error} title="The evidence could not be checked" />
        {verify.data && (
          <Alert tone={verify.data.ok ? 'success' : 'error'}>
            {verify.data.ok ? 'Evidence intact: ' : 'Evidence not intact: '}
            {verify.data.detail}.
          </Alert>
        )}
        <details>
          <summary>The evidence record</summary>
          <pre className="drill-evidence" aria-label="Evidence record">
            {JSON.stringify(drill.evidence, null, 2)}
          </pre>
        </details>
      </div>
    </Panel>
  );
}

function Facts({ drill }: { drill: Drill }) {
  return (
    <dl className="facts">
      <dt>Outcome</dt>
      <dd>
        <DrillBadge status={drill.status} /> {drill.failure}
      </dd>
      <dt>Started</dt>
      <dd>
        {formatDateTime(drill.startedAt)} by {drill.startedBy}
        {drill.trigger === 'schedule' ? ' (on schedule)' : ''}
      </dd>
      <dt>Finished</dt>
      <dd>{drill.finishedAt ? formatDateTime(drill.finishedAt) : '—'}</dd>
      <dt>Measured RTO</dt>
      <dd>
        <Measure value={drill.measuredRtoSeconds} target={drill.rtoTargetSeconds} />
      </dd>
      <dt>Achieved RPO</dt>
      <dd>
        <Measure value={drill.achievedRpoSeconds} target={drill.rpoTargetSeconds} />
      </dd>
      {drill.problemId && (
        <>
          <dt>Problem</dt>
          <dd>
            <Link to={`/tickets/${drill.problemId}`}>{drill.problemKey}</Link>
          </dd>
        </>
      )}
    </dl>
  );
}

/** A drill: its outcome and times, its steps (tick manual ones off), and its evidence once finished. */
export function DrillPage() {
  const { id = '' } = useParams();
  const drill = useDrill(id);
  const cancel = useCancelDrill(id);
  const user = useCurrentUser();
  // Managers and admins keep plans and run their drills; IT reads them.
  const canRun = user.role === 'admin' || user.role === 'manager';
  if (drill.isPending) return <Loading />;
  if (drill.isError) return <ErrorAlert error={drill.error} title="The drill could not be loaded" />;
  const d = drill.data;
  const back = d.planId ? { to: `/dr/plans/${d.planId}`, label: d.planName } : undefined;
  return (
    <>
      <PageHeader
        title={`Drill of the ${d.planName} plan`}
        description={d.serviceName ? `Service ${d.serviceName}` : undefined}
        back={back}
        actions={
          canRun &&
          d.status === 'running' && (
            <ConfirmButton
              busy={cancel.isPending}
              confirmLabel="Confirm: cancel the drill"
              onConfirm={() => cancel.mutate()}
            >
              Cancel drill
            </ConfirmButton>
          )
        }
      />
      <ErrorAlert error={cancel.error} title="The drill was not cancelled" />
      <Panel title="Outcome">
        <Facts drill={d} />
      </Panel>
      <Panel title="Steps" padded={false}>
        <div className="table-wrap">
          <table className="table" aria-label="Drill steps">
            <thead>
              <tr>
                <th>#</th>
                <th>Step</th>
                <th>Status</th>
                <th>What happened</th>
                <th>Took</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.steps.map((s) => (
                <StepRow key={s.position} drill={d} step={s} canRun={canRun} />
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <Evidence drill={d} />
    </>
  );
}
