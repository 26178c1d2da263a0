import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { CatalogueRequest } from '@contracts';
import {
  Badge,
  Button,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  TextAreaField,
  formatDateTime,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useRequest, useRequestAction } from './api';
import { RULE_KEY, STATUS_KEY, STEP_KEY } from './labels';
import { useT } from '../../i18n';
import './catalogue.css';

/** The approval levels in order: who decides under which rule, the votes cast, and the level's state. */
function Approvals({ r }: { r: CatalogueRequest }) {
  const t = useT();
  return (
    <Panel title={t('catalogue.request.approvals')}>
      <ol className="catalogue-steps">
        {r.approvals.map((a) => (
          <li key={a.level}>
            <strong>{t('catalogue.request.level', { level: a.level, group: a.group })}</strong>{' '}
            <Badge
              tone={a.status === 'approved' ? 'success' : a.status === 'rejected' ? 'danger' : undefined}
            >
              {t(STEP_KEY[a.status])}
            </Badge>
            <div className="muted">
              {t(RULE_KEY[a.rule], { count: a.required })} · {a.voters.map((v) => v.name).join(', ')}
            </div>
            {a.votes.map((v) => (
              <div key={v.userName + v.at}>
                {t(
                  v.decision === 'approve' ? 'catalogue.request.approvedBy' : 'catalogue.request.rejectedBy',
                  {
                    name: v.userName,
                  },
                )}
                {v.reason ? ` (${v.reason})` : ''}
              </div>
            ))}
          </li>
        ))}
      </ol>
    </Panel>
  );
}

/** The fulfilment tasks in order, each with its team and state. */
function Tasks({ r }: { r: CatalogueRequest }) {
  const t = useT();
  return (
    <Panel title={t('catalogue.request.tasks')}>
      <ol className="catalogue-steps">
        {r.tasks.map((x) => (
          <li key={x.position}>
            <strong>
              {x.position}. {x.title}
            </strong>{' '}
            ({x.teamName}){' '}
            <Badge tone={x.status === 'done' ? 'success' : x.status === 'open' ? 'primary' : undefined}>
              {t(STEP_KEY[x.status])}
            </Badge>
            {x.doneBy && x.doneAt && (
              <div className="muted">
                {t('catalogue.request.doneBy', { name: x.doneBy, when: formatDateTime(x.doneAt) })}
                {x.note ? `: ${x.note}` : ''}
              </div>
            )}
          </li>
        ))}
      </ol>
    </Panel>
  );
}

/** What the caller may do now: vote at the waiting level, or mark their team's open task done. */
function Actions({ r }: { r: CatalogueRequest }) {
  const t = useT();
  const act = useRequestAction(r.id);
  const [text, setText] = useState('');
  if (!r.canVote && r.canCompleteTask === null) return null;
  const task = r.tasks.find((x) => x.position === r.canCompleteTask);
  return (
    <Panel title={r.canVote ? t('catalogue.request.yourVote') : t('catalogue.request.yourTask')}>
      {act.error !== null && <ErrorAlert error={act.error} />}
      <TextAreaField
        label={r.canVote ? t('catalogue.request.reason') : t('catalogue.request.note')}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="form-actions">
        {r.canVote ? (
          <>
            <Button
              variant="primary"
              busy={act.isPending}
              onClick={() => act.mutate({ vote: 'approve', reason: text })}
            >
              {t('catalogue.request.approve')}
            </Button>
            <Button busy={act.isPending} onClick={() => act.mutate({ vote: 'reject', reason: text })}>
              {t('catalogue.request.reject')}
            </Button>
          </>
        ) : (
          <Button
            variant="primary"
            busy={act.isPending}
            onClick={() => act.mutate({ task: r.canCompleteTask!, note: text })}
          >
            {t('catalogue.request.complete', { title: task?.title ?? '' })}
          </Button>
        )}
      </div>
    </Panel>
  );
}

/** Cancelling a request no longer wanted (its requester or a catalogue admin), with the reason. */
function Cancel({ r }: { r: CatalogueRequest }) {
  const t = useT();
  const act = useRequestAction(r.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!r.canCancel) return null;
  if (!open)
    return (
      <div className="form-actions">
        <Button onClick={() => setOpen(true)}>{t('catalogue.cancel.open')}</Button>
      </div>
    );
  return (
    <Panel title={t('catalogue.cancel.title')}>
      {act.error !== null && <ErrorAlert error={act.error} />}
      <TextAreaField
        label={t('catalogue.cancel.reason')}
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="form-actions">
        <Button
          variant="danger"
          busy={act.isPending}
          disabled={!reason.trim()}
          onClick={() => act.mutate({ cancel: reason })}
        >
          {t('catalogue.cancel.confirm')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('catalogue.cancel.keep')}</Button>
      </div>
    </Panel>
  );
}

/** A request: its answers, approval progress, tasks, and the caller's next step. */
export function RequestPage() {
  const t = useT();
  const me = useCurrentUser();
  const { id = '' } = useParams();
  const q = useRequest(id);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const r = q.data;
  const ticketPath = me.role === 'requester' ? `/portal/tickets/${r.ticketId}` : `/tickets/${r.ticketId}`;
  return (
    <>
      <PageHeader
        title={`${r.key} ${r.itemName}`}
        description={t('catalogue.request.by', { name: r.requesterName, when: formatDateTime(r.createdAt) })}
        back={{ to: '/catalogue/requests', label: t('catalogue.requests.mine') }}
      />
      <p>
        <Badge
          tone={
            r.status === 'rejected'
              ? 'danger'
              : r.status === 'fulfilled'
                ? 'success'
                : r.status === 'cancelled'
                  ? undefined
                  : 'primary'
          }
        >
          {t(STATUS_KEY[r.status])}
        </Badge>{' '}
        {r.ticketId && r.ticketKey && (
          <Link to={ticketPath}>{t('catalogue.request.ticket', { key: r.ticketKey })}</Link>
        )}
      </p>
      {r.cancelled && (
        <p className="muted">
          {t('catalogue.cancel.done', { name: r.cancelled.by, when: formatDateTime(r.cancelled.at) })}:{' '}
          {r.cancelled.reason}
        </p>
      )}
      <Actions r={r} />
      <Cancel r={r} />
      <Panel title={t('catalogue.request.answers')}>
        {r.answers.length === 0 ? (
          <p className="muted">{t('catalogue.request.noAnswers')}</p>
        ) : (
          <dl className="details">
            {r.answers.map((a) => (
              <div key={a.key}>
                <dt>{a.label}</dt>
                <dd>{a.display}</dd>
              </div>
            ))}
          </dl>
        )}
      </Panel>
      {r.approvals.length > 0 && <Approvals r={r} />}
      {r.tasks.length > 0 && <Tasks r={r} />}
    </>
  );
}
