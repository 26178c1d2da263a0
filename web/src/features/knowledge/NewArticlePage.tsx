import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type ArticleAudience, ArticleKind } from '@contracts';
import { useAllTeams } from '../teams/api';
import { Button, ErrorAlert, PageHeader, Panel, SelectField, TextField } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { articlePath, useCreateArticle } from './api';
import { AUDIENCE_LABEL, KIND_LABEL } from './labels';

/** Writes a new article as a draft: its kind, audience, title, text, and a known error's workaround. */
export function NewArticlePage() {
  const create = useCreateArticle();
  const navigate = useNavigate();
  const teams = useAllTeams();
  const [f, setF] = useState({
    kind: 'how_to' as ArticleKind,
    audience: 'requesters' as ArticleAudience,
    teamId: '',
    title: '',
    category: '',
    tags: '',
    reviewAt: '',
    validTo: '',
  });
  const [body, setBody] = useState('');
  const [workaround, setWorkaround] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        kind: f.kind,
        audience: f.audience,
        title: f.title,
        body,
        ...(f.kind === 'known_error' ? { workaround } : {}),
        ...(f.audience === 'team' ? { teamId: f.teamId || null } : {}),
        category: f.category,
        tags: f.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        reviewAt: f.reviewAt || null,
        validTo: f.validTo || null,
      },
      { onSuccess: (a) => void navigate(articlePath(a.id)) },
    );
  };
  return (
    <>
      <PageHeader title="New article" back={{ to: '/kb', label: 'Knowledge' }} />
      <Panel>
        <form aria-label="New article" className="stack" onSubmit={submit}>
          {create.isError && <ErrorAlert error={create.error} />}
          <SelectField
            label="Kind"
            value={f.kind}
            onChange={(e) => setF({ ...f, kind: e.target.value as ArticleKind })}
          >
            {ArticleKind.options.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Who reads it"
            value={f.audience}
            onChange={(e) => setF({ ...f, audience: e.target.value as ArticleAudience })}
          >
            {(['requesters', 'agents', 'team'] as const).map((a) => (
              <option key={a} value={a}>
                {AUDIENCE_LABEL[a]}
              </option>
            ))}
          </SelectField>
          {f.audience === 'team' && (
            <SelectField
              label="Team"
              value={f.teamId}
              onChange={(e) => setF({ ...f, teamId: e.target.value })}
            >
              <option value="">Choose a team</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            label="Title"
            required
            value={f.title}
            onChange={(e) => setF({ ...f, title: e.target.value })}
          />
          <MarkdownField label="Text" value={body} onChange={setBody} rows={12} />
          {f.kind === 'known_error' && (
            <MarkdownField label="Workaround" value={workaround} onChange={setWorkaround} rows={4} />
          )}
          <TextField
            label="Category"
            value={f.category}
            onChange={(e) => setF({ ...f, category: e.target.value })}
          />
          <TextField
            label="Tags"
            hint="Separated by commas"
            value={f.tags}
            onChange={(e) => setF({ ...f, tags: e.target.value })}
          />
          <TextField
            label="Review by"
            type="date"
            value={f.reviewAt}
            onChange={(e) => setF({ ...f, reviewAt: e.target.value })}
          />
          <TextField
            label="Valid to"
            type="date"
            value={f.validTo}
            onChange={(e) => setF({ ...f, validTo: e.target.value })}
          />
          <div>
            <Button type="submit" variant="primary" busy={create.isPending}>
              Save draft
            </Button>
          </div>
        </form>
      </Panel>
    </>
  );
}
