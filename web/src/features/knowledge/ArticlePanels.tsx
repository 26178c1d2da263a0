import { useState } from 'react';
import type { Article, Role } from '@contracts';
import { Alert, Button, ErrorAlert, formatDateTime, Panel, SelectField, TextField } from '../../ui';
import { Markdown, MarkdownField } from '../../ui/Markdown';
import { useAllTeams } from '../teams/api';
import { useT } from '../../i18n';
import { useArticleAction, useCampaign, useDiff, useStartCampaign, useVersions } from './api';

/** The review of the version in review: the rule, the votes, and the caller's approve / reject. */
export function ReviewPanel({ a }: { a: Article }) {
  const t = useT();
  const act = useArticleAction(a.id);
  const [reason, setReason] = useState('');
  const r = a.review;
  if (!r) return null;
  const vote = (decision: 'approve' | 'reject') =>
    act.mutate({ path: 'approvals', body: { decision, reason } });
  return (
    <Panel title={t('kb.review.title')}>
      {act.isError && <ErrorAlert error={act.error} />}
      <p>
        {t('kb.review.rule', {
          version: r.version,
          rule: r.rule === 'at_least' ? t('kb.review.atLeast', { count: r.required }) : r.rule,
          approvers: r.approvers.join(', '),
          required: r.required,
          status: r.status,
        })}
      </p>
      <ul aria-label={t('kb.review.votes')}>
        {r.votes.map((v) => (
          <li key={v.by}>
            {t(v.decision === 'approve' ? 'kb.review.approvedBy' : 'kb.review.rejectedBy', { by: v.by })}
            {v.reason ? ` (${v.reason})` : ''}
          </li>
        ))}
      </ul>
      {r.canVote && (
        <div className="stack-sm">
          <TextField
            label={t('kb.review.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="row">
            <Button variant="primary" busy={act.isPending} onClick={() => vote('approve')}>
              {t('kb.move.approved')}
            </Button>
            <Button busy={act.isPending} onClick={() => vote('reject')}>
              {t('kb.review.reject')}
            </Button>
          </div>
        </div>
      )}
    </Panel>
  );
}

/** Edits the newest text: a save is a new version (a published article goes back to draft). */
export function EditPanel({ a, etag }: { a: Article; etag: string }) {
  const t = useT();
  const act = useArticleAction(a.id);
  const [title, setTitle] = useState(a.working?.title ?? '');
  const [body, setBody] = useState(a.working?.body ?? '');
  const [workaround, setWorkaround] = useState(a.working?.workaround ?? '');
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <div>
        <Button onClick={() => setOpen(true)}>{t('common.edit')}</Button>
      </div>
    );
  return (
    <Panel title={t('common.edit')}>
      <form
        aria-label={t('kb.edit.form')}
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
        <TextField
          label={t('kb.col.title')}
          required
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <MarkdownField label={t('kb.field.text')} value={body} onChange={setBody} rows={12} />
        {a.kind === 'known_error' && (
          <MarkdownField
            label={t('kb.edit.workaround')}
            value={workaround}
            onChange={setWorkaround}
            rows={4}
          />
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={act.isPending}>
            {t('kb.edit.save')}
          </Button>
          <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
        </div>
      </form>
    </Panel>
  );
}

/** Every version with who and when, and the diff between any two. */
export function VersionsPanel({ a }: { a: Article }) {
  const t = useT();
  const versions = useVersions(a.id, true);
  const newest = a.working?.version ?? 0;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const diff = useDiff(a.id, from, to);
  const items = versions.data?.items ?? [];
  return (
    <Panel title={t('kb.versions.title')}>
      <ul aria-label={t('kb.versions.title')}>
        {items.map((v) => (
          <li key={v.version}>
            {t('kb.versions.line', { version: v.version, author: v.author, at: formatDateTime(v.at) })}
            {v.published ? t('kb.versions.published') : ''}
            {v.note ? ` (${v.note})` : ''}
          </li>
        ))}
      </ul>
      {items.length > 1 && (
        <div className="stack-sm">
          <div className="row">
            {(
              [
                [t('kb.versions.from'), from, setFrom],
                [t('kb.versions.to'), to, setTo],
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
                    {t('kb.versions.option', { version: v.version })}
                  </option>
                ))}
              </SelectField>
            ))}
          </div>
          <pre aria-label={t('kb.versions.diff')} className="kb-diff">
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
  const t = useT();
  const act = useArticleAction(a.id);
  const ack = a.acknowledgement;
  if (!ack?.required || !a.published) return null;
  if (ack.acknowledgedAt)
    return <Alert tone="success">{t('kb.ack.done', { at: formatDateTime(ack.acknowledgedAt) })}</Alert>;
  return (
    <Alert tone="warning" title={t('kb.ack.asked')}>
      {act.isError && <ErrorAlert error={act.error} />}
      <p>{t('kb.ack.read')}</p>
      <Button variant="primary" busy={act.isPending} onClick={() => act.mutate({ path: 'acknowledgements' })}>
        {t('kb.ack.confirm')}
      </Button>
    </Alert>
  );
}

/** A published policy's campaign (managers and admins): ask people, and who has and has not acknowledged. */
export function CampaignPanel({ a }: { a: Article }) {
  const t = useT();
  const campaign = useCampaign(a.id, true);
  const start = useStartCampaign(a.id);
  const teams = useAllTeams();
  const [target, setTarget] = useState<'everyone' | 'role' | 'team'>('everyone');
  const [role, setRole] = useState<Role>('agent');
  const [teamId, setTeamId] = useState('');
  const c = campaign.data;
  return (
    <Panel title={t('kb.campaign.title')}>
      {start.isError && <ErrorAlert error={start.error} />}
      {c && (
        <div className="stack-sm">
          <p aria-label={t('kb.campaign.progress')}>
            {t('kb.campaign.count', { done: c.acknowledged.length, total: c.total, version: c.version })}
            {c.dueOn ? t('kb.campaign.due', { date: c.dueOn }) : ''}
          </p>
          {c.pending.length > 0 && (
            <p className="muted">
              {t('kb.campaign.pending', { names: c.pending.map((p) => p.name).join(', ') })}
            </p>
          )}
          {c.acknowledged.length > 0 && (
            <p className="muted">
              {t('kb.campaign.acknowledged', { names: c.acknowledged.map((p) => p.name).join(', ') })}
            </p>
          )}
        </div>
      )}
      <form
        aria-label={t('kb.campaign.ask')}
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
        <SelectField
          label={t('kb.campaign.askWho')}
          value={target}
          onChange={(e) => setTarget(e.target.value as typeof target)}
        >
          <option value="everyone">{t('kb.campaign.everyone')}</option>
          <option value="role">{t('kb.campaign.role')}</option>
          <option value="team">{t('kb.campaign.team')}</option>
        </SelectField>
        {target === 'role' && (
          <SelectField
            label={t('kb.campaign.roleField')}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {(['requester', 'agent', 'manager', 'admin'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </SelectField>
        )}
        {target === 'team' && (
          <SelectField label={t('kb.field.team')} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">{t('kb.field.chooseTeam')}</option>
            {(teams.data ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
        )}
        <Button type="submit" busy={start.isPending}>
          {c ? t('kb.campaign.askAgain') : t('kb.campaign.ask')}
        </Button>
      </form>
    </Panel>
  );
}

/** The text of a version: Markdown, and a known error's workaround. */
export function ArticleBody({ text }: { text: NonNullable<Article['published']> }) {
  const t = useT();
  return (
    <>
      <Markdown source={text.body} />
      {text.workaround && (
        <>
          <h3>{t('kb.edit.workaround')}</h3>
          <Markdown source={text.workaround} />
        </>
      )}
    </>
  );
}
