import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { Change, ChangeOutcome, ChangeStatus } from '@contracts';
import { useCurrentUser } from '../auth/session';
import {
  Alert,
  Button,
  ErrorAlert,
  Loading,
  Notice,
  PageHeader,
  Panel,
  SelectField,
  TextField,
} from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { useT } from '../../i18n';
import { useChange, useChangeAction } from './api';
import { RiskBadge, outcomeName, ruleName, statusName, typeName, windowText } from './parts';
import { RestorePointsPanel } from './RestorePointsPanel';
import { conflictText, riskReasonText } from './reasons';

const OUTCOMES: ChangeOutcome[] = ['successful', 'partially_successful', 'failed', 'backed_out'];

/** Why the change is as risky as it is, each reason with its points. */
function RiskPanel({ c }: { c: Change }) {
  const t = useT();
  return (
    <Panel title={t('changes.riskColumn')}>
      <p>
        <RiskBadge risk={c.risk} />{' '}
        {c.riskScore !== null && <span className="muted">{t('changes.points', { count: c.riskScore })}</span>}
      </p>
      <ul aria-label={t('changes.riskReasons')}>
        {c.riskReasons.map((r) => (
          <li key={r.text}>
            {riskReasonText(t, r)} <span className="muted">(+{r.points})</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** The approval levels in order, their votes, and the caller's approve / reject. */
function ApprovalsPanel({ c }: { c: Change }) {
  const t = useT();
  const act = useChangeAction(c.id);
  const [reason, setReason] = useState('');
  if (c.approvals.length === 0) return null;
  return (
    <Panel title={t('changes.approvals')}>
      {act.isError && <ErrorAlert error={act.error} />}
      <ol aria-label={t('changes.approvalLevels')} className="stack-sm">
        {c.approvals.map((l) => (
          <li key={l.level}>
            <strong>{l.teamName}</strong>:{' '}
            {t('changes.levelLine', {
              rule: ruleName(t, l.rule, l.required),
              required: l.required,
              status: t(`changes.levelStatus.${l.status}`),
            })}
            {l.votes.map((v) => (
              <div key={v.by} className="muted">
                {t(v.decision === 'approve' ? 'changes.voteApproved' : 'changes.voteRejected', { by: v.by })}
                {v.castBy ? ` ${t('changes.castBy', { name: v.castBy })}` : ''}
                {v.reason ? ` (${v.reason})` : ''}
              </div>
            ))}
          </li>
        ))}
      </ol>
      {c.status === 'authorisation' && (
        <div className="stack-sm">
          <TextField label={t('changes.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="row">
            <Button
              variant="primary"
              busy={act.isPending}
              onClick={() => act.mutate({ path: 'approvals', body: { decision: 'approve', reason } })}
            >
              {t('changes.approve')}
            </Button>
            <Button
              busy={act.isPending}
              onClick={() => act.mutate({ path: 'approvals', body: { decision: 'reject', reason } })}
            >
              {t('changes.reject')}
            </Button>
          </div>
        </div>
      )}
    </Panel>
  );
}

/** The moves the state machine allows from here (closing asks for the outcome). */
function MovePanel({ c }: { c: Change }) {
  const t = useT();
  const act = useChangeAction(c.id);
  const [outcome, setOutcome] = useState<ChangeOutcome>('successful');
  const [lessons, setLessons] = useState('');
  if (c.allowedTransitions.length === 0) return null;
  const move = (to: ChangeStatus) =>
    act.mutate({ path: 'transitions', body: to === 'closed' ? { to, outcome, lessons } : { to } });
  return (
    <Panel title={t('changes.nextStep')}>
      {act.isError && <ErrorAlert error={act.error} />}
      {c.allowedTransitions.includes('closed') && (
        <div className="stack-sm">
          <SelectField
            label={t('changes.outcomeLabel')}
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as ChangeOutcome)}
          >
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcomeName(t, o)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('changes.lessons')}
            value={lessons}
            onChange={(e) => setLessons(e.target.value)}
          />
        </div>
      )}
      <div className="row">
        {c.allowedTransitions.map((to) => (
          <Button key={to} busy={act.isPending} onClick={() => move(to)}>
            {t(`changes.moveTo.${to}`)}
          </Button>
        ))}
      </div>
    </Panel>
  );
}

/** A change's page: state, window, risk with its reasons, conflicts, approvals, plans, tasks, links. */
export function ChangePage() {
  const t = useT();
  const back = { to: '/changes', label: t('nav.changes') };
  const { id = '' } = useParams();
  const q = useChange(id);
  useCurrentUser();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const c = q.data;
  return (
    <>
      <PageHeader
        title={`${c.key} ${c.title}`}
        back={back}
        description={t('changes.pageLine', {
          type: typeName(t, c.type),
          status: c.outcome
            ? `${statusName(t, c.status)} (${outcomeName(t, c.outcome)})`
            : statusName(t, c.status),
          window: windowText(t, c.plannedStart, c.plannedEnd),
          by: c.requestedBy,
        })}
      />
      <Notice />
      <div className="stack">
        {c.rejectionReason && (
          <Alert tone="error" title={t('changes.rejected')}>
            {c.rejectionReason}
          </Alert>
        )}
        {c.conflicts.length > 0 && (
          <Alert tone="warning" title={t('changes.conflicts')}>
            <ul aria-label={t('changes.conflicts')}>
              {c.conflicts.map((x) => (
                <li key={x.message}>{conflictText(t, x)}</li>
              ))}
            </ul>
          </Alert>
        )}
        {c.blackoutOverride && (
          <Alert tone="warning" title={t('changes.blackoutOverride')}>
            {c.blackoutOverride.reason} ({c.blackoutOverride.by})
          </Alert>
        )}
        <MovePanel c={c} />
        <RestorePointsPanel c={c} />
        <RiskPanel c={c} />
        <ApprovalsPanel c={c} />
        <Panel title={t('changes.items')}>
          {c.items.length ? (
            c.items.map((i) => i.name).join(', ')
          ) : (
            <span className="muted">{t('changes.noItems')}</span>
          )}
        </Panel>
        <Panel title={t('changes.plans')}>
          <h3>{t('changes.implementation')}</h3>
          <Markdown source={c.implementationPlan || `_${t('changes.noneYet')}_`} />
          <h3>{t('changes.test')}</h3>
          <Markdown source={c.testPlan || `_${t('changes.noneYet')}_`} />
          <h3>{t('changes.backout')}</h3>
          <Markdown source={c.backoutPlan || `_${t('changes.noneYet')}_`} />
        </Panel>
        {c.tasks.length > 0 && (
          <Panel title={t('changes.tasks')}>
            <ol aria-label={t('changes.tasks')}>
              {c.tasks.map((x) => (
                <li key={x.id}>
                  {x.title}
                  {x.teamName ? ` (${x.teamName})` : ''}
                  {x.doneAt ? ` — ${t('changes.doneBy', { name: x.doneBy ?? '' })}` : ''}
                </li>
              ))}
            </ol>
          </Panel>
        )}
        {(c.status === 'closed' || c.lessons) && (
          <Panel title={t('changes.review')}>
            <Markdown source={c.lessons || `_${t('changes.noLessons')}_`} />
          </Panel>
        )}
        {c.links.length > 0 && (
          <Panel title={t('changes.tickets')}>
            <ul>
              {c.links.map((l) => (
                <li key={`${l.ticketId}${l.kind}`}>
                  {t(l.kind === 'caused' ? 'changes.caused' : 'changes.fixes')} {l.key} {l.title}
                </li>
              ))}
            </ul>
          </Panel>
        )}
      </div>
    </>
  );
}
