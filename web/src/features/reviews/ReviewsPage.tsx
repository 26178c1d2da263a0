import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { ReviewKind } from '@contracts';
import { useCurrentUser } from '../auth/session';
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

/** The kinds of access, as people say them. */
export const KIND_LABELS: Record<ReviewKind, string> = {
  team: 'Team memberships',
  role: 'Roles',
  credential: 'Who may reveal which password',
};

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** An admin starts a campaign: a name, what it covers, a due date. */
function StartForm() {
  const [name, setName] = useState('');
  const [due, setDue] = useState(inDays(14));
  const [scope, setScope] = useState<ReviewKind[]>(['team', 'role', 'credential']);
  const start = useStartReview();
  const navigate = useNavigate();
  return (
    <form
      className="stack-sm"
      aria-label="Start an access review"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate({ name, scope, due }, { onSuccess: (c) => void navigate(reviewPath(c.id)) });
      }}
    >
      <ErrorAlert error={start.error} title="The access review was not started" />
      <TextField
        label="Name"
        required
        maxLength={200}
        value={name}
        placeholder="Access review, fourth quarter"
        onChange={(e) => setName(e.target.value)}
      />
      {(Object.keys(KIND_LABELS) as ReviewKind[]).map((k) => (
        <CheckboxField
          key={k}
          label={KIND_LABELS[k]}
          checked={scope.includes(k)}
          onChange={(e) => setScope(e.target.checked ? [...scope, k] : scope.filter((s) => s !== k))}
        />
      ))}
      <TextField label="Due" type="date" required value={due} onChange={(e) => setDue(e.target.value)} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={start.isPending} disabled={scope.length === 0}>
          Start the review
        </Button>
      </div>
    </form>
  );
}

/** The access reviews I take part in; admins start them here. */
export function ReviewsPage() {
  const q = useReviews();
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Owners confirm or revoke who is in which team, who holds which role and who may reveal which password."
      />
      {user.role === 'admin' && (
        <Panel>
          <h2>Start an access review</h2>
          <StartForm />
        </Panel>
      )}
      <Panel>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="The access reviews could not be loaded" />
        ) : q.data.items.length === 0 ? (
          <Empty>No access review concerns you yet.</Empty>
        ) : (
          <table className="table" aria-label="Access reviews">
            <thead>
              <tr>
                <th>Review</th>
                <th>Due</th>
                <th>Progress</th>
                <th>For you</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={reviewPath(c.id)}>{c.name}</Link>{' '}
                    {c.status === 'closed' && <Badge>closed</Badge>}
                  </td>
                  <td>{formatDate(c.due)}</td>
                  <td>
                    {c.total - c.pending} of {c.total} decided ({c.revoked} revoked)
                  </td>
                  <td>{c.mine > 0 ? <Badge tone="primary">{c.mine} to decide</Badge> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
