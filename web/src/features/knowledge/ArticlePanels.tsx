import { useState } from 'react';
import type { Article, Role } from '@contracts';
import { Alert, Button, ErrorAlert, Panel, SelectField, TextField } from '../../ui';
import { Markdown, MarkdownField } from '../../ui/Markdown';
import { useAllTeams } from '../teams/api';
import { useArticleAction, useCampaign, useDiff, useStartCampaign, useVersions } from './api';

/** The review of the version in review: the rule, the votes, and the caller's approve / reject. */
export function ReviewPanel({ a }: { a: Article }) {
  const act = useArticleAction(a.id);
  const [reason, setReason] = useState('');
  const r = a.review;
  if (!r) return null;
  const vote = (decision: 'approve' | 'reject') =>
    act.mutate({ path: 'approvals', body: { decision, reason } });
  return (
    <Panel title="Review">
      {act.isError && <ErrorAlert error={act.error} />}
      <p>
        Version {r.version}: {r.rule === 'at_least' ? `at least ${r.required}` : r.rule} of{' '}
        {r.approvers.join(', ')} ({r.required} needed) — {r.status}
      </p>
      <ul aria-label="Votes">
        {r.votes.map((v) => (
          <li key={v.by}>
            {v.by}: {v.decision === 'approve' ? 'approved' : 'rejected'}
            {v.reason ? ` (${v.reason})` : ''}
          </li>
        ))}
      </ul>
      {r.canVote && (
        <div className="stack-sm">
          <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="row">
            <Button variant="primary" busy={act.isPending} onClick={() => vote('approve')}>
              Approve
            </Button>
            <Button busy={act.isPending} onClick={() => vote('reject')}>
              Reject
            </Button>
          </div>
        </div>
      )}
    </Panel>
  );
}

/** Edits the newest text: a save is a new version (a published article goes back to draft). */
export function EditPanel({ a, etag }: { a: Article; etag: string }) {
  const act = useArticleAction(a.id);
  const [title, setTitle] = useState(a.working?.title ?? '');
  const [body, setBody] = useState(a.working?.body ?? '');
  const [workaround, setWorkaround] = useState(a.working?.workaround ?? '');
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <div>
        <Button onClick={() => setOpen(true)}>Edit</Button>
      </div>
    );
  return (
    <Panel title="Edit">
      <form
        aria-label="Edit article"
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          act.mutate(
            { edit: { title, body, ...(a.kind === 'known_error' ? { workaround } : {}) }, etag },
            { onSuccess: () => setOpen(false) },
          );
        }}
      >
        {act.isError && <ErrorAlert error={act.error} />}
        <TextField label="Title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        <MarkdownField label="Text" value={body} onChange={setBody} rows={12} />
        {a.kind === 'known_error' && (
          <MarkdownField label="Workaround" value={workaround} onChange={setWorkaround} rows={4} />
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={act.isPending}>
            Save new version
          </Button>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
        </div>
      </form>
    </Panel>
  );
}

/** Every version with who and when, and the diff between any two. */
export function VersionsPanel({ a }: { a: Article }) {
  const versions = useVersions(a.id, true);
  const newest = a.working?.version ?? 0;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const diff = useDiff(a.id, from, to);
  const items = versions.data?.items ?? [];
  return (
    <Panel title="Versions">
      <ul aria-label="Versions">
        {items.map((v) => (
          <li key={v.version}>
            Version {v.version} by {v.author}, {new Date(v.at).toLocaleString()}
            {v.published ? ' — published' : ''}
            {v.note ? ` (${v.note})` : ''}
          </li>
        ))}
      </ul>
      {items.length > 1 && (
        <div className="stack-sm">
          <div className="row">
            {(
              [
                ['From', from, setFrom],
                ['To', to, setTo],
              ] as const
            ).map(([label, value, set]) => (
              <SelectField
                key={label}
                label={label}
                value={value}
                onChange={(e) => set(Number(e.target.value))}
              >
                {items.map((v) => (
                  <option key={v.version} value={v.version}>
                    Version {v.version}
                  </option>
                ))}
              </SelectField>
            ))}
          </div>
          <pre aria-label="Differences" className="kb-diff">
            {(diff.data?.lines ?? []).map((l, i) => (
              <div key={i} className={`kb-diff-${l.op}`}>
                {l.op === 'add' ? '+ ' : l.op === 'del' ? '− ' : '  '}
                {l.text}
              </div>
            ))}
          </pre>
        </div>
      )}
    </Panel>
  );
}

/** The caller's acknowledgement of a policy asked of them. */
export function AcknowledgePanel({ a }: { a: Article }) {
  const act = useArticleAction(a.id);
  const ack = a.acknowledgement;
  if (!ack?.required || !a.published) return null;
  if (ack.acknowledgedAt)
    return (
      <Alert tone="success">
        You acknowledged this policy on {new Date(ack.acknowledgedAt).toLocaleString()}.
      </Alert>
    );
  return (
    <Alert tone="warning" title="Your acknowledgement is asked for">
      {act.isError && <ErrorAlert error={act.error} />}
      <p>Read the policy below, then confirm.</p>
      <Button variant="primary" busy={act.isPending} onClick={() => act.mutate({ path: 'acknowledgements' })}>
        I have read and acknowledge this policy
      </Button>
    </Alert>
  );
}

/** A published policy's campaign (managers and admins): ask people, and who has and has not acknowledged. */
export function CampaignPanel({ a }: { a: Article }) {
  const campaign = useCampaign(a.id, true);
  const start = useStartCampaign(a.id);
  const teams = useAllTeams();
  const [target, setTarget] = useState<'everyone' | 'role' | 'team'>('everyone');
  const [role, setRole] = useState<Role>('agent');
  const [teamId, setTeamId] = useState('');
  const c = campaign.data;
  return (
    <Panel title="Acknowledgement">
      {start.isError && <ErrorAlert error={start.error} />}
      {c && (
        <div className="stack-sm">
          <p aria-label="Progress">
            {c.acknowledged.length} of {c.total} acknowledged version {c.version}
            {c.dueOn ? `, due ${c.dueOn}` : ''}
          </p>
          {c.pending.length > 0 && (
            <p className="muted">Not yet: {c.pending.map((p) => p.name).join(', ')}</p>
          )}
          {c.acknowledged.length > 0 && (
            <p className="muted">Done: {c.acknowledged.map((p) => p.name).join(', ')}</p>
          )}
        </div>
      )}
      <form
        aria-label="Ask for acknowledgement"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({
            target,
            ...(target === 'role' ? { role } : {}),
            ...(target === 'team' ? { teamId } : {}),
          });
        }}
      >
        <SelectField label="Ask" value={target} onChange={(e) => setTarget(e.target.value as typeof target)}>
          <option value="everyone">Everyone</option>
          <option value="role">Everyone of a role</option>
          <option value="team">A team</option>
        </SelectField>
        {target === 'role' && (
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(['requester', 'agent', 'manager', 'admin'] as const).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
        )}
        {target === 'team' && (
          <SelectField label="Team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">Choose a team</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
        )}
        <Button type="submit" busy={start.isPending}>
          {c ? 'Ask again' : 'Ask for acknowledgement'}
        </Button>
      </form>
    </Panel>
  );
}

/** The text of a version: Markdown, and a known error's workaround. */
export function ArticleBody({ text }: { text: NonNullable<Article['published']> }) {
  return (
    <>
      <Markdown source={text.body} />
      {text.workaround && (
        <>
          <h3>Workaround</h3>
          <Markdown source={text.workaround} />
        </>
      )}
    </>
  );
}
