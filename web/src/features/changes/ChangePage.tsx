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
import { useChange, useChangeAction } from './api';
import { RiskBadge, statusLabel, windowText } from './parts';
import { RestorePointsPanel } from './RestorePointsPanel';

const back = { to: '/changes', label: 'Changes' };
const OUTCOMES: ChangeOutcome[] = ['successful', 'partially_successful', 'failed', 'backed_out'];

/** Why the change is as risky as it is, each reason with its points. */
function RiskPanel({ c }: { c: Change }) {
  return (
    <Panel title="Risk">
      <p>
        <RiskBadge risk={c.risk} />{' '}
        {c.riskScore !== null && <span className="muted">{c.riskScore} points</span>}
      </p>
      <ul aria-label="Risk reasons">
        {c.riskReasons.map((r) => (
          <li key={r.text}>
            {r.text} <span className="muted">(+{r.points})</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** The approval levels in order, their votes, and the caller's approve / reject. */
function ApprovalsPanel({ c }: { c: Change }) {
  const act = useChangeAction(c.id);
  const [reason, setReason] = useState('');
  if (c.approvals.length === 0) return null;
  return (
    <Panel title="Approvals">
      {act.isError && <ErrorAlert error={act.error} />}
      <ol aria-label="Approval levels" className="stack-sm">
        {c.approvals.map((l) => (
          <li key={l.level}>
            <strong>{l.teamName}</strong>: {l.rule === 'at_least' ? `at least ${l.required}` : l.rule} (
            {l.required} needed) — {l.status}
            {l.votes.map((v) => (
              <div key={v.by} className="muted">
                {v.by}: {v.decision === 'approve' ? 'approved' : 'rejected'}
                {v.reason ? ` (${v.reason})` : ''}
              </div>
            ))}
          </li>
        ))}
      </ol>
      {c.status === 'authorisation' && (
        <div className="stack-sm">
          <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="row">
            <Button
              variant="primary"
              busy={act.isPending}
              onClick={() => act.mutate({ path: 'approvals', body: { decision: 'approve', reason } })}
            >
              Approve
            </Button>
            <Button
              busy={act.isPending}
              onClick={() => act.mutate({ path: 'approvals', body: { decision: 'reject', reason } })}
            >
              Reject
            </Button>
          </div>
        </div>
      )}
    </Panel>
  );
}

/** The moves the state machine allows from here (closing asks for the outcome). */
function MovePanel({ c }: { c: Change }) {
  const act = useChangeAction(c.id);
  const [outcome, setOutcome] = useState<ChangeOutcome>('successful');
  const [lessons, setLessons] = useState('');
  if (c.allowedTransitions.length === 0) return null;
  const move = (to: ChangeStatus) =>
    act.mutate({ path: 'transitions', body: to === 'closed' ? { to, outcome, lessons } : { to } });
  return (
    <Panel title="Next step">
      {act.isError && <ErrorAlert error={act.error} />}
      {c.allowedTransitions.includes('closed') && (
        <div className="stack-sm">
          <SelectField
            label="Outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as ChangeOutcome)}
          >
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {statusLabel(o as ChangeStatus).replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <TextField label="Lessons" value={lessons} onChange={(e) => setLessons(e.target.value)} />
        </div>
      )}
      <div className="row">
        {c.allowedTransitions.map((to) => (
          <Button key={to} busy={act.isPending} onClick={() => move(to)}>
            {`Move to ${to}`}
          </Button>
        ))}
      </div>
    </Panel>
  );
}

/** A change's page: state, window, risk with its reasons, conflicts, approvals, plans, tasks, links. */
export function ChangePage() {
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
        description={`${statusLabel(c.type as ChangeStatus)} change, ${statusLabel(c.status).toLowerCase()}${
          c.outcome ? ` (${c.outcome.replace(/_/g, ' ')})` : ''
        } · ${windowText(c.plannedStart, c.plannedEnd)} · raised by ${c.requestedBy}`}
      />
      <Notice />
      <div className="stack">
        {c.rejectionReason && (
          <Alert tone="error" title="Rejected">
            {c.rejectionReason}
          </Alert>
        )}
        {c.conflicts.length > 0 && (
          <Alert tone="warning" title="Conflicts">
            <ul aria-label="Conflicts">
              {c.conflicts.map((x) => (
                <li key={x.message}>{x.message}</li>
              ))}
            </ul>
          </Alert>
        )}
        {c.blackoutOverride && (
          <Alert tone="warning" title="Blackout override">
            {c.blackoutOverride.reason} ({c.blackoutOverride.by})
          </Alert>
        )}
        <MovePanel c={c} />
        <RestorePointsPanel c={c} />
        <RiskPanel c={c} />
        <ApprovalsPanel c={c} />
        <Panel title="Items">
          {c.items.length ? (
            c.items.map((i) => i.name).join(', ')
          ) : (
            <span className="muted">No items named.</span>
          )}
        </Panel>
        <Panel title="Plans">
          <h3>Implementation</h3>
          <Markdown source={c.implementationPlan || '_None yet._'} />
          <h3>Test</h3>
          <Markdown source={c.testPlan || '_None yet._'} />
          <h3>Backout</h3>
          <Markdown source={c.backoutPlan || '_None yet._'} />
        </Panel>
        {c.tasks.length > 0 && (
          <Panel title="Tasks">
            <ol aria-label="Tasks">
              {c.tasks.map((t) => (
                <li key={t.id}>
                  {t.title}
                  {t.teamName ? ` (${t.teamName})` : ''}
                  {t.doneAt ? ` — done by ${t.doneBy}` : ''}
                </li>
              ))}
            </ol>
          </Panel>
        )}
        {(c.status === 'closed' || c.lessons) && (
          <Panel title="Review">
            <Markdown source={c.lessons || '_No lessons written._'} />
          </Panel>
        )}
        {c.links.length > 0 && (
          <Panel title="Tickets">
            <ul>
              {c.links.map((l) => (
                <li key={`${l.ticketId}${l.kind}`}>
                  {l.kind === 'caused' ? 'Caused' : 'Fixes'} {l.key} {l.title}
                </li>
              ))}
            </ul>
          </Panel>
        )}
      </div>
    </>
  );
}
