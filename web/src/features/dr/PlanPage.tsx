import { useNavigate, useParams } from 'react-router-dom';
import type { DrPlan } from '@contracts';
import { useCurrentUser } from '../auth/session';
import {
  Alert,
  ButtonLink,
  ConfirmButton,
  ErrorAlert,
  Loading,
  Notice,
  PageHeader,
  Panel,
  formatDateTime,
} from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { useDeletePlan, usePlan } from './api';
import { DrillHistory } from './drills/DrillHistory';
import { DrillSchedulePanel } from './drills/DrillSchedulePanel';
import { minutes, ReadyBadge, VerifiedBadge } from './parts';

const back = { to: '/dr/plans', label: 'Disaster recovery' };

/** The items in scope in recovery order: what each needs, its cycle, a computer's last snapshot. */
function OrderPanel({ plan }: { plan: DrPlan }) {
  return (
    <Panel title="Recovery order">
      <div className="stack-sm">
        <p className="muted">
          What an item runs on or depends on is recovered before it; items of one wave can be recovered side
          by side.
        </p>
        {plan.cycles.map((c) => (
          <Alert key={c.number} tone={c.ordered ? 'info' : 'warning'} title={`Cycle ${c.number}`}>
            {c.items.map((i) => i.name).join(', ')} need each other.{' '}
            {c.ordered
              ? 'They are recovered in the order a person chose.'
              : 'A person must choose their order (Edit).'}
          </Alert>
        ))}
        <ol className="dr-order" aria-label="Recovery order">
          {plan.order.map((o) => (
            <li key={o.ciId} className={o.cycle ? 'dr-cycle' : undefined}>
              <span className="dr-pos">{o.position}.</span>
              <span>
                <strong>{o.name}</strong>{' '}
                <span className="muted">
                  ({o.className}, wave {o.wave})
                </span>
                {o.needs.length > 0 && <span className="dr-facts"> · needs {o.needs.join(', ')}</span>}
                {o.cycle && <span className="dr-facts"> · cycle {o.cycle}</span>}
              </span>
              <span>
                {o.device &&
                  (o.lastSnapshotAt ? (
                    <span className={o.withinRpo ? 'badge badge-success' : 'badge badge-danger'}>
                      Snapshot {formatDateTime(o.lastSnapshotAt)}
                    </span>
                  ) : (
                    <span className="badge badge-danger">No snapshot</span>
                  ))}
              </span>
            </li>
          ))}
        </ol>
      </div>
    </Panel>
  );
}

/** The runbook: each step with its owner, expected duration, the items it restores and its instructions. */
function StepsPanel({ plan }: { plan: DrPlan }) {
  return (
    <Panel title="Runbook">
      {plan.steps.length === 0 ? (
        <p className="muted">No steps yet.</p>
      ) : (
        <ol className="dr-steps" aria-label="Runbook steps">
          {plan.steps.map((s) => (
            <li key={s.id} className="dr-step">
              <h3>
                {s.position}. {s.title}
              </h3>
              <div className="dr-facts">
                Owner: {s.owner?.name ?? 'nobody'}
                {s.expectedMinutes !== null && ` · expected ${minutes(s.expectedMinutes)}`}
                {s.items.length > 0 && ` · restores ${s.items.map((i) => i.name).join(', ')}`}
              </div>
              {s.body && <Markdown source={s.body} />}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function DeletePlan({ plan }: { plan: DrPlan }) {
  const remove = useDeletePlan();
  const navigate = useNavigate();
  return (
    <Panel title="Delete plan">
      <div className="stack-sm">
        <ErrorAlert error={remove.error} title="The plan was not deleted" />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel={`Confirm: delete ${plan.name}`}
            onConfirm={() =>
              remove.mutate(plan.id, {
                onSuccess: () => void navigate(back.to, { state: { notice: `${plan.name} was deleted.` } }),
              })
            }
          >
            Delete plan
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** One plan: readiness and verification at a glance, then the order, the runbook and the contacts. */
export function PlanPage() {
  const { id = '' } = useParams();
  const q = usePlan(id);
  const user = useCurrentUser();
  const edits = user.role === 'admin' || user.role === 'manager';
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title="Disaster-recovery plan" back={back} />
        <ErrorAlert error={q.error} title="The plan cannot be shown" />
      </>
    );
  const p = q.data;
  const base = `/api/v1/dr/plans/${encodeURIComponent(p.id)}`;
  return (
    <>
      <PageHeader
        title={p.name}
        back={back}
        description={`Recovery plan for ${p.service.name}`}
        actions={
          <>
            <a className="btn btn-secondary" href={`${base}/export.md`} download>
              Export Markdown
            </a>
            <a className="btn btn-secondary" href={`${base}/export.pdf`} download>
              Export PDF
            </a>
            {edits && (
              <ButtonLink to={`/dr/plans/${encodeURIComponent(p.id)}/edit`} variant="primary">
                Edit
              </ButtonLink>
            )}
          </>
        }
      />
      <Notice />
      <div className="stack">
        {p.verification.needed && (
          <Alert tone="warning" title="Needs verification">
            <ul className="dr-reasons">
              {p.verification.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            The next successful drill verifies the plan.
          </Alert>
        )}
        <Panel title="At a glance">
          <div className="stack-sm">
            <div>
              <ReadyBadge plan={p} /> <VerifiedBadge plan={p} />
            </div>
            {p.readiness.reasons.length > 0 && (
              <ul className="dr-reasons" aria-label="Why the plan is not ready">
                {p.readiness.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            <p className="dr-facts">
              RTO {minutes(p.rtoMinutes)} · RPO {minutes(p.rpoMinutes)} · Owner {p.owner?.name ?? 'nobody'} ·
              Review due {p.reviewDue}
              {p.reviewOverdue ? ' (overdue)' : ''} · Last drill{' '}
              {formatDateTime(p.verification.lastVerifiedAt)}
            </p>
            {p.summary && <Markdown source={p.summary} />}
          </div>
        </Panel>
        <OrderPanel plan={p} />
        <StepsPanel plan={p} />
        <DrillHistory planId={p.id} canRun={edits} />
        <DrillSchedulePanel planId={p.id} canEdit={edits} />
        <Panel title="Contacts">
          {p.contacts.length === 0 ? (
            <p className="muted">No contacts yet.</p>
          ) : (
            <ul className="dr-reasons">
              {p.contacts.map((c, i) => (
                <li key={i}>
                  <strong>{c.user?.name ?? c.name}</strong>
                  {[c.role, c.phone, c.email].filter(Boolean).map((x) => ` · ${x}`)}
                </li>
              ))}
            </ul>
          )}
        </Panel>
        {edits && <DeletePlan plan={p} />}
      </div>
    </>
  );
}
