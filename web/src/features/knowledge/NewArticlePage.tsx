import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type ArticleAudience, ArticleKind } from '@contracts';
import { useAllTeams } from '../teams/api';
import { Button, ErrorAlert, PageHeader, Panel, SelectField, TextField } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { articlePath, useCreateArticle } from './api';
import { AUDIENCES, useAudienceLabel, useKindLabel } from './labels';
import { useT } from '../../i18n';

/** Writes a new article as a draft: its kind, audience, title, text, and a known error's workaround. */
export function NewArticlePage() {
  const t = useT();
  const kindLabel = useKindLabel();
  const audienceLabel = useAudienceLabel();
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
      <PageHeader title={t('kb.list.new')} back={{ to: '/kb', label: t('kb.list.title') }} />
      <Panel>
        <form aria-label={t('kb.list.new')} className="stack" onSubmit={submit}>
          {create.isError && <ErrorAlert error={create.error} />}
          <SelectField
            label={t('kb.field.kind')}
            value={f.kind}
            onChange={(e) => setF({ ...f, kind: e.target.value as ArticleKind })}
          >
            {ArticleKind.options.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('kb.field.audience')}
            value={f.audience}
            onChange={(e) => setF({ ...f, audience: e.target.value as ArticleAudience })}
          >
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {audienceLabel(a)}
              </option>
            ))}
          </SelectField>
          {f.audience === 'team' && (
            <SelectField
              label={t('kb.field.team')}
              value={f.teamId}
              onChange={(e) => setF({ ...f, teamId: e.target.value })}
            >
              <option value="">{t('kb.field.chooseTeam')}</option>
              {(teams.data ?? []).map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            label={t('kb.col.title')}
            required
            value={f.title}
            onChange={(e) => setF({ ...f, title: e.target.value })}
          />
          <MarkdownField label={t('kb.field.text')} value={body} onChange={setBody} rows={12} />
          {f.kind === 'known_error' && (
            <MarkdownField label={t('kb.workaround')} value={workaround} onChange={setWorkaround} rows={4} />
          )}
          <TextField
            label={t('kb.field.category')}
            value={f.category}
            onChange={(e) => setF({ ...f, category: e.target.value })}
          />
          <TextField
            label={t('kb.field.tags')}
            hint={t('kb.field.tagsHint')}
            value={f.tags}
            onChange={(e) => setF({ ...f, tags: e.target.value })}
          />
          <TextField
            label={t('kb.field.reviewAt')}
            type="date"
            value={f.reviewAt}
            onChange={(e) => setF({ ...f, reviewAt: e.target.value })}
          />
          <TextField
            label={t('kb.field.validTo')}
            type="date"
            value={f.validTo}
            onChange={(e) => setF({ ...f, validTo: e.target.value })}
          />
          <div>
            <Button type="submit" variant="primary" busy={create.isPending}>
              {t('kb.field.saveDraft')}
            </Button>
          </div>
        </form>
      </Panel>
    </>
  );
}
