import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ReviewCampaign, ReviewItem } from '@contracts';
import { useCurrentUser } from '../auth/session';
import {
  Alert,
  Badge,
  Button,
  CheckboxField,
  ConfirmButton,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  formatDate,
  formatDateTime,
} from '../../ui';
import { evidenceUrl, useCloseReview, useDecide, useReview, useReviewItems } from './api';
import { KIND_LABELS } from './ReviewsPage';

/** What became of a holding, in words. */
function Decision({ item }: { item: ReviewItem }) {
  if (item.decision === null) return <span className="muted">Not decided</span>;
  return (
    <span>
      {item.decision === 'confirm' ? (
        <Badge tone="success">Confirmed</Badge>
      ) : (
        <Badge tone="danger">Revoked{item.outcome === 'already gone' ? ' (already gone)' : ''}</Badge>
      )}{' '}
      <span className="muted">
        by {item.decidedBy} {formatDateTime(item.decidedAt)}
      </span>
      {item.comment && <div className="muted">{item.comment}</div>}
    </span>
  );
}

/** The holdings of a campaign, with Confirm and Revoke where the caller decides. */
function Holdings({ campaign, mine }: { campaign: ReviewCampaign; mine: boolean }) {
  const items = useReviewItems(campaign.id, mine);
  const decide = useDecide(campaign.id);
  if (items.isPending) return <Loading />;
  if (items.isError) return <ErrorAlert error={items.error} title="The holdings could not be loaded" />;
  if (items.data.items.length === 0) return <Empty>Nothing to review here.</Empty>;
  return (
    <>
      <ErrorAlert error={decide.error} title="The decision was not saved" />
      <table className="table" aria-label="Holdings">
        <thead>
          <tr>
            <th>Who</th>
            <th>Holds</th>
            <th>Kind</th>
            <th>Decision</th>
          </tr>
        </thead>
        <tbody>
          {items.data.items.map((i) => (
            <tr key={i.id}>
              <td>{i.holder}</td>
              <td>{i.holding}</td>
              <td>{KIND_LABELS[i.kind]}</td>
              <td>
                {i.canDecide ? (
                  <div className="button-row">
                    <Button
                      size="sm"
                      aria-label={`Confirm: ${i.holder}, ${i.holding}`}
                      busy={decide.isPending && decide.variables.itemId === i.id}
                      onClick={() => decide.mutate({ itemId: i.id, decision: 'confirm' })}
                    >
                      Confirm
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Revoke: ${i.holder}, ${i.holding}`}
                      busy={decide.isPending && decide.variables.itemId === i.id}
                      onClick={() => decide.mutate({ itemId: i.id, decision: 'revoke' })}
                    >
                      Revoke
                    </Button>
                  </div>
                ) : (
                  <Decision item={i} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.data.nextCursor !== null && (
        <p className="muted">The first 200 holdings are shown: decide these, then reload.</p>
      )}
    </>
  );
}

/** One access review: progress, the holdings to decide, closing and the evidence. */
export function ReviewPage() {
  const { id = '' } = useParams();
  const q = useReview(id);
  const user = useCurrentUser();
  const close = useCloseReview(id);
  const [mine, setMine] = useState(user.role !== 'admin');
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title="The access review could not be loaded" />;
  const c = q.data;
  const admin = user.role === 'admin';
  return (
    <>
      <PageHeader
        title={c.name}
        back={{ to: '/reviews', label: 'Access reviews' }}
        description={`${c.scope.map((k) => KIND_LABELS[k]).join(', ')} · due ${formatDate(c.due)} · started by ${c.startedBy}`}
        actions={
          admin && c.status === 'open' ? (
            <ConfirmButton
              size="md"
              confirmLabel="Close and keep as evidence"
              busy={close.isPending}
              onConfirm={() => close.mutate()}
            >
              Close the review
            </ConfirmButton>
          ) : undefined
        }
      />
      <ErrorAlert error={close.error} title="The review was not closed" />
      <Panel>
        <p role="status" aria-label="Progress">
          {c.total - c.pending} of {c.total} decided: {c.confirmed} confirmed, {c.revoked} revoked
          {c.status === 'open' && c.mine > 0 && `; ${c.mine} for you to decide`}.
        </p>
        {c.status === 'closed' && (
          <Alert tone="success" title="Closed: the result is kept as evidence">
            Closed by {c.closedBy} {formatDateTime(c.closedAt)}. SHA-256{' '}
            <span className="mono">{c.evidenceSha256}</span>.{' '}
            {admin && (
              <>
                Download the evidence as <a href={evidenceUrl(c.id, 'csv')}>CSV</a> or{' '}
                <a href={evidenceUrl(c.id, 'json')}>JSON</a>.
              </>
            )}
          </Alert>
        )}
        {admin && (
          <CheckboxField
            label="Only what I decide"
            checked={mine}
            onChange={(e) => setMine(e.target.checked)}
          />
        )}
        <Holdings campaign={c} mine={mine} />
      </Panel>
    </>
  );
}
