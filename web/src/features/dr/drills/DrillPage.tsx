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
import { useT } from '../../../i18n';
import { duration, stepText } from './labels';
import { DrillBadge, Measure } from './parts';
import './drills.css';

/** One step: what it restored or asked of a person, its times, and a tick-off button while it waits. */
function StepRow({ drill, step, canRun }: { drill: Drill; step: DrillStep; canRun: boolean }) {
  const t = useT();
  const tick = useTickStep(drill.id);
  const waiting = canRun && drill.status === 'running' && step.kind === 'manual' && step.status === 'pending';
  return (
    <tr aria-label={t('dr.edit.step', { n: step.position })}>
      <td>{step.position}</td>
      <td className="cell-strong">
        {step.title}
        {step.snapshotId && (
          <div className="muted mono">
            {t('dr.drill.snapshot', {
              id: step.snapshotId.slice(0, 8),
              when: formatDateTime(step.snapshotTime),
              age: duration(t, step.snapshotAgeSeconds),
            })}
          </div>
        )}
      </td>
      <td>
        <span className={`drill-step drill-step-${step.status}`}>{t(`dr.drill.step.${step.status}`)}</span>
      </td>
      <td>
        {stepText(t, step)}
        {step.tickedAt && (
          <div className="muted">{t('dr.drill.at', { when: formatDateTime(step.tickedAt) })}</div>
        )}
        {step.problems.length > 0 && (
          <ul className="drill-problems">
            {step.problems.slice(0, 5).map((p) => (
              <li key={p.path}>
                <span className="mono">{p.path}</span>: {p.message}
              </li>
            ))}
          </ul>
        )}
        <ErrorAlert error={tick.error} title={t('dr.drill.notTicked')} />
      </td>
      <td>{duration(t, step.seconds)}</td>
      <td className="cell-actions">
        {waiting && (
          <Button size="sm" busy={tick.isPending} onClick={() => tick.mutate(step.position)}>
            {t('dr.drill.tick')}
          </Button>
        )}
      </td>
    </tr>
  );
}

/** The evidence: its hash, a check against the audit trail, and the record itself. */
function Evidence({ drill }: { drill: Drill }) {
  const t = useT();
  const verify = useVerifyEvidence(drill.id);
  if (!drill.evidence) return null;
  return (
    <Panel title={t('dr.drill.evidence')}>
      <div className="stack-sm">
        <p className="muted">
          {t('dr.drill.evidenceAbout')}{' '}
          <span className="mono" aria-label={t('dr.drill.evidenceSha')}>
            {drill.evidenceSha256}
          </span>
        </p>
        <div>
          <Button size="sm" busy={verify.isPending} onClick={() => verify.mutate()}>
            {t('dr.drill.check')}
          </Button>
        </div>
        <ErrorAlert error={verify.error} title={t('dr.drill.notChecked')} />
        {verify.data && (
          <Alert tone={verify.data.ok ? 'success' : 'error'}>
            {t(verify.data.ok ? 'dr.drill.intact' : 'dr.drill.notIntact', { detail: verify.data.detail })}
          </Alert>
        )}
        <details>
          <summary>{t('dr.drill.record')}</summary>
          <pre className="drill-evidence" aria-label={t('dr.drill.recordLabel')}>
            {JSON.stringify(drill.evidence, null, 2)}
          </pre>
        </details>
      </div>
    </Panel>
  );
}

function Facts({ drill }: { drill: Drill }) {
  const t = useT();
  return (
    <dl className="facts">
      <dt>{t('dr.drill.outcome')}</dt>
      <dd>
        <DrillBadge status={drill.status} /> {drill.failure}
      </dd>
      <dt>{t('dr.drill.started')}</dt>
      <dd>
        {t(drill.trigger === 'schedule' ? 'dr.drill.startedByScheduled' : 'dr.drill.startedBy', {
          when: formatDateTime(drill.startedAt),
          name: drill.startedBy,
        })}
      </dd>
      <dt>{t('dr.drill.finished')}</dt>
      <dd>{drill.finishedAt ? formatDateTime(drill.finishedAt) : '—'}</dd>
      <dt>{t('dr.drill.rto')}</dt>
      <dd>
        <Measure value={drill.measuredRtoSeconds} target={drill.rtoTargetSeconds} />
      </dd>
      <dt>{t('dr.drill.rpo')}</dt>
      <dd>
        <Measure value={drill.achievedRpoSeconds} target={drill.rpoTargetSeconds} />
      </dd>
      {drill.problemId && (
        <>
          <dt>{t('dr.drill.problem')}</dt>
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
  const t = useT();
  const { id = '' } = useParams();
  const drill = useDrill(id);
  const cancel = useCancelDrill(id);
  const user = useCurrentUser();
  // Managers and admins keep plans and run their drills; IT reads them.
  const canRun = user.role === 'admin' || user.role === 'manager';
  if (drill.isPending) return <Loading />;
  if (drill.isError) return <ErrorAlert error={drill.error} title={t('dr.drill.notLoaded')} />;
  const d = drill.data;
  const back = d.planId ? { to: `/dr/plans/${d.planId}`, label: d.planName } : undefined;
  return (
    <>
      <PageHeader
        title={t('dr.drill.title', { name: d.planName })}
        description={d.serviceName ? t('dr.drill.service', { name: d.serviceName }) : undefined}
        back={back}
        actions={
          canRun &&
          d.status === 'running' && (
            <ConfirmButton
              busy={cancel.isPending}
              confirmLabel={t('dr.drill.confirmCancel')}
              onConfirm={() => cancel.mutate()}
            >
              {t('dr.drill.cancel')}
            </ConfirmButton>
          )
        }
      />
      <ErrorAlert error={cancel.error} title={t('dr.drill.notCancelled')} />
      <Panel title={t('dr.drill.outcome')}>
        <Facts drill={d} />
      </Panel>
      <Panel title={t('dr.drill.steps')} padded={false}>
        <div className="table-wrap">
          <table className="table" aria-label={t('dr.drill.stepsLabel')}>
            <thead>
              <tr>
                <th>#</th>
                <th>{t('dr.drill.step')}</th>
                <th>{t('common.status')}</th>
                <th>{t('dr.drill.happened')}</th>
                <th>{t('dr.drill.took')}</th>
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
