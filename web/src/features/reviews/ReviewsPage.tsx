import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { ReviewKind } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import {
  Badge,
  Button,
  CheckboxField,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  TextField,
  formatDate,
} from '../../ui';
import { reviewPath, useReviews, useStartReview } from './api';
import { REVIEW_KINDS, kindLabel } from './labels';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** An admin starts a campaign: a name, what it covers, a due date. */
function StartForm() {
  const t = useT();
  const [name, setName] = useState('');
  const [due, setDue] = useState(inDays(14));
  const [scope, setScope] = useState<ReviewKind[]>(['team', 'role', 'credential']);
  const start = useStartReview();
  const navigate = useNavigate();
  return (
    <form
      className="stack-sm"
      aria-label={t('reviews.start')}
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate({ name, scope, due }, { onSuccess: (c) => void navigate(reviewPath(c.id)) });
      }}
    >
      <ErrorAlert error={start.error} title={t('reviews.startFailed')} />
      <TextField
        label={t('reviews.name')}
        required
        maxLength={200}
        value={name}
        placeholder={t('reviews.namePlaceholder')}
        onChange={(e) => setName(e.target.value)}
      />
      {REVIEW_KINDS.map((k) => (
        <CheckboxField
          key={k}
          label={kindLabel(t, k)}
          checked={scope.includes(k)}
          onChange={(e) => setScope(e.target.checked ? [...scope, k] : scope.filter((s) => s !== k))}
        />
      ))}
      <TextField
        label={t('reviews.due')}
        type="date"
        required
        value={due}
        onChange={(e) => setDue(e.target.value)}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={start.isPending} disabled={scope.length === 0}>
          {t('reviews.startSubmit')}
        </Button>
      </div>
    </form>
  );
}

/** The access reviews I take part in; admins start them here. */
export function ReviewsPage() {
  const t = useT();
  const q = useReviews();
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title={t('reviews.title')} description={t('reviews.description')} />
      {user.role === 'admin' && (
        <Panel>
          <h2>{t('reviews.start')}</h2>
          <StartForm />
        </Panel>
      )}
      <Panel>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title={t('reviews.listLoadFailed')} />
        ) : q.data.items.length === 0 ? (
          <Empty>{t('reviews.empty')}</Empty>
        ) : (
          <table className="table" aria-label={t('reviews.title')}>
            <thead>
              <tr>
                <th>{t('reviews.review')}</th>
                <th>{t('reviews.due')}</th>
                <th>{t('reviews.progress')}</th>
                <th>{t('reviews.forYou')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={reviewPath(c.id)}>{c.name}</Link>{' '}
                    {c.status === 'closed' && <Badge>{t('reviews.closedBadge')}</Badge>}
                  </td>
                  <td>{formatDate(c.due)}</td>
                  <td>
                    {t('reviews.progressShort', {
                      decided: c.total - c.pending,
                      total: c.total,
                      revoked: c.revoked,
                    })}
                  </td>
                  <td>
                    {c.mine > 0 ? (
                      <Badge tone="primary">{t('reviews.toDecide', { count: c.mine })}</Badge>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
