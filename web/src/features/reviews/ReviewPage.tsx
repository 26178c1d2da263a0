import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ReviewCampaign, ReviewItem } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { Msg, useT } from '../../i18n';
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
import { kindLabel } from './labels';

/** What became of a holding, in words. */
function Decision({ item }: { item: ReviewItem }) {
  const t = useT();
  if (item.decision === null) return <span className="muted">{t('reviews.notDecided')}</span>;
  return (
    <span>
      {item.decision === 'confirm' ? (
        <Badge tone="success">{t('reviews.confirmed')}</Badge>
      ) : (
        <Badge tone="danger">
          {item.outcome === 'already gone' ? t('reviews.revokedAlreadyGone') : t('reviews.revoked')}
        </Badge>
      )}{' '}
      <span className="muted">
        {t('reviews.decidedBy', { who: item.decidedBy ?? '', when: formatDateTime(item.decidedAt) })}
      </span>
      {item.comment && <div className="muted">{item.comment}</div>}
    </span>
  );
}

/** The holdings of a campaign, with Confirm and Revoke where the caller decides. */
function Holdings({ campaign, mine }: { campaign: ReviewCampaign; mine: boolean }) {
  const t = useT();
  const items = useReviewItems(campaign.id, mine);
  const decide = useDecide(campaign.id);
  if (items.isPending) return <Loading />;
  if (items.isError) return <ErrorAlert error={items.error} title={t('reviews.holdingsLoadFailed')} />;
  if (items.data.items.length === 0) return <Empty>{t('reviews.nothingToReview')}</Empty>;
  return (
    <>
      <ErrorAlert error={decide.error} title={t('reviews.decideFailed')} />
      <table className="table" aria-label={t('reviews.holdings')}>
        <thead>
          <tr>
            <th>{t('reviews.who')}</th>
            <th>{t('reviews.holds')}</th>
            <th>{t('reviews.kind')}</th>
            <th>{t('reviews.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {items.data.items.map((i) => (
            <tr key={i.id}>
              <td>{i.holder}</td>
              <td>{i.holding}</td>
              <td>{kindLabel(t, i.kind)}</td>
              <td>
                {i.canDecide ? (
                  <div className="button-row">
                    <Button
                      size="sm"
                      aria-label={t('reviews.confirmLabel', { holder: i.holder, holding: i.holding })}
                      busy={decide.isPending && decide.variables.itemId === i.id}
                      onClick={() => decide.mutate({ itemId: i.id, decision: 'confirm' })}
                    >
                      {t('reviews.confirm')}
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={t('reviews.revokeLabel', { holder: i.holder, holding: i.holding })}
                      busy={decide.isPending && decide.variables.itemId === i.id}
                      onClick={() => decide.mutate({ itemId: i.id, decision: 'revoke' })}
                    >
                      {t('reviews.revoke')}
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
      {items.data.nextCursor !== null && <p className="muted">{t('reviews.truncated')}</p>}
    </>
  );
}

/** One access review: progress, the holdings to decide, closing and the evidence. */
export function ReviewPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = useReview(id);
  const user = useCurrentUser();
  const close = useCloseReview(id);
  const [mine, setMine] = useState(user.role !== 'admin');
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('reviews.loadFailed')} />;
  const c = q.data;
  const admin = user.role === 'admin';
  return (
    <>
      <PageHeader
        title={c.name}
        back={{ to: '/reviews', label: t('reviews.title') }}
        description={t('reviews.subtitle', {
          scope: c.scope.map((k) => kindLabel(t, k)).join(', '),
          due: formatDate(c.due),
          who: c.startedBy,
        })}
        actions={
          admin && c.status === 'open' ? (
            <ConfirmButton
              size="md"
              confirmLabel={t('reviews.closeConfirm')}
              busy={close.isPending}
              onConfirm={() => close.mutate()}
            >
              {t('reviews.close')}
            </ConfirmButton>
          ) : undefined
        }
      />
      <ErrorAlert error={close.error} title={t('reviews.closeFailed')} />
      <Panel>
        <p role="status" aria-label={t('reviews.progress')}>
          {c.status === 'open' && c.mine > 0
            ? t('reviews.progressMine', {
                decided: c.total - c.pending,
                total: c.total,
                confirmed: c.confirmed,
                revoked: c.revoked,
                mine: c.mine,
              })
            : t('reviews.progressLong', {
                decided: c.total - c.pending,
                total: c.total,
                confirmed: c.confirmed,
                revoked: c.revoked,
              })}
        </p>
        {c.status === 'closed' && (
          <Alert tone="success" title={t('reviews.closedTitle')}>
            <Msg
              id="reviews.closedBody"
              values={{
                who: c.closedBy ?? '',
                when: formatDateTime(c.closedAt),
                sha: <span className="mono">{c.evidenceSha256}</span>,
              }}
            />{' '}
            {admin && (
              <Msg
                id="reviews.downloadEvidence"
                values={{
                  csv: (chunks) => <a href={evidenceUrl(c.id, 'csv')}>{chunks}</a>,
                  json: (chunks) => <a href={evidenceUrl(c.id, 'json')}>{chunks}</a>,
                }}
              />
            )}
          </Alert>
        )}
        {admin && (
          <CheckboxField
            label={t('reviews.onlyMine')}
            checked={mine}
            onChange={(e) => setMine(e.target.checked)}
          />
        )}
        <Holdings campaign={c} mine={mine} />
      </Panel>
    </>
  );
}
