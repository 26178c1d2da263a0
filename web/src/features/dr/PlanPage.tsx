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
  formatDay,
} from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { useDeletePlan, usePlan } from './api';
import { DrillHistory } from './drills/DrillHistory';
import { DrillSchedulePanel } from './drills/DrillSchedulePanel';
import { useT, type Translate } from '../../i18n';
import { minutes, ReadyBadge, VerifiedBadge } from './parts';

const BACK = '/dr/plans';
const back = (t: Translate) => ({ to: BACK, label: t('dr.title') });

/** The items in scope in recovery order: what each needs, its cycle, a computer's last snapshot. */
function OrderPanel({ plan }: { plan: DrPlan }) {
  const t = useT();
  return (
    <Panel title={t('dr.order')}>
      <div className="stack-sm">
        <p className="muted">{t('dr.order.about')}</p>
        {plan.cycles.map((c) => (
          <Alert
            key={c.number}
            tone={c.ordered ? 'info' : 'warning'}
            title={t('dr.edit.cycle', { n: c.number })}
          >
            {t('dr.order.needEachOther', { names: c.items.map((i) => i.name).join(', ') })}{' '}
            {c.ordered ? t('dr.order.chosen') : t('dr.order.choose')}
          </Alert>
        ))}
        <ol className="dr-order" aria-label={t('dr.order')}>
          {plan.order.map((o) => (
            <li key={o.ciId} className={o.cycle ? 'dr-cycle' : undefined}>
              <span className="dr-pos">{o.position}.</span>
              <span>
                <strong>{o.name}</strong>{' '}
                <span className="muted">{t('dr.order.classWave', { name: o.className, wave: o.wave })}</span>
                {o.needs.length > 0 && (
                  <span className="dr-facts"> · {t('dr.order.needs', { names: o.needs.join(', ') })}</span>
                )}
                {o.cycle && <span className="dr-facts"> · {t('dr.order.cycle', { n: o.cycle })}</span>}
              </span>
              <span>
                {o.device &&
                  (o.lastSnapshotAt ? (
                    <span className={o.withinRpo ? 'badge badge-success' : 'badge badge-danger'}>
                      {t('dr.order.snapshot', { when: formatDateTime(o.lastSnapshotAt) })}
                    </span>
                  ) : (
                    <span className="badge badge-danger">{t('dr.order.noSnapshot')}</span>
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
  const t = useT();
  return (
    <Panel title={t('dr.runbook')}>
      {plan.steps.length === 0 ? (
        <p className="muted">{t('dr.runbook.none')}</p>
      ) : (
        <ol className="dr-steps" aria-label={t('dr.edit.steps')}>
          {plan.steps.map((s) => (
            <li key={s.id} className="dr-step">
              <h3>
                {s.position}. {s.title}
              </h3>
              <div className="dr-facts">
                {t('dr.runbook.owner', { name: s.owner?.name ?? t('dr.nobodyLower') })}
                {s.expectedMinutes !== null &&
                  ` · ${t('dr.runbook.expected', { time: minutes(t, s.expectedMinutes) })}`}
                {s.items.length > 0 &&
                  ` · ${t('dr.runbook.restores', { names: s.items.map((i) => i.name).join(', ') })}`}
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
  const t = useT();
  const remove = useDeletePlan();
  const navigate = useNavigate();
  return (
    <Panel title={t('dr.delete')}>
      <div className="stack-sm">
        <ErrorAlert error={remove.error} title={t('dr.notDeleted')} />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel={t('dr.confirmDelete', { name: plan.name })}
            onConfirm={() =>
              remove.mutate(plan.id, {
                onSuccess: () =>
                  void navigate(BACK, { state: { notice: t('dr.deleted', { name: plan.name }) } }),
              })
            }
          >
            {t('dr.delete')}
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** One plan: readiness and verification at a glance, then the order, the runbook and the contacts. */
export function PlanPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = usePlan(id);
  const user = useCurrentUser();
  const edits = user.role === 'admin' || user.role === 'manager';
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('dr.plan')} back={back(t)} />
        <ErrorAlert error={q.error} title={t('dr.plan.notShown')} />
      </>
    );
  const p = q.data;
  const base = `/api/v1/dr/plans/${encodeURIComponent(p.id)}`;
  return (
    <>
      <PageHeader
        title={p.name}
        back={back(t)}
        description={t('dr.plan.for', { name: p.service.name })}
        actions={
          <>
            <a className="btn btn-secondary" href={`${base}/export.md`} download>
              {t('dr.plan.exportMd')}
            </a>
            <a className="btn btn-secondary" href={`${base}/export.pdf`} download>
              {t('dr.plan.exportPdf')}
            </a>
            {edits && (
              <ButtonLink to={`/dr/plans/${encodeURIComponent(p.id)}/edit`} variant="primary">
                {t('common.edit')}
              </ButtonLink>
            )}
          </>
        }
      />
      <Notice />
      <div className="stack">
        {p.verification.needed && (
          <Alert tone="warning" title={t('dr.needsVerification')}>
            <ul className="dr-reasons">
              {p.verification.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            {t('dr.plan.nextDrill')}
          </Alert>
        )}
        <Panel title={t('dr.plan.glance')}>
          <div className="stack-sm">
            <div>
              <ReadyBadge plan={p} /> <VerifiedBadge plan={p} />
            </div>
            {p.readiness.reasons.length > 0 && (
              <ul className="dr-reasons" aria-label={t('dr.plan.whyNotReady')}>
                {p.readiness.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            <p className="dr-facts">
              {t(p.reviewOverdue ? 'dr.plan.factsOverdue' : 'dr.plan.facts', {
                rto: minutes(t, p.rtoMinutes),
                rpo: minutes(t, p.rpoMinutes),
                owner: p.owner?.name ?? t('dr.nobodyLower'),
                review: formatDay(p.reviewDue),
                drill: formatDateTime(p.verification.lastVerifiedAt),
              })}
            </p>
            {p.summary && <Markdown source={p.summary} />}
          </div>
        </Panel>
        <OrderPanel plan={p} />
        <StepsPanel plan={p} />
        <DrillHistory planId={p.id} canRun={edits} />
        <DrillSchedulePanel planId={p.id} canEdit={edits} />
        <Panel title={t('dr.edit.contacts')}>
          {p.contacts.length === 0 ? (
            <p className="muted">{t('dr.plan.noContacts')}</p>
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
