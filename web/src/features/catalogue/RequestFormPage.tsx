import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { type FormField, holds, isGiven, type SubmitRequest } from '@contracts';
import { ErrorAlert, FormActions, FormError, Loading, PageHeader, Panel } from '../../ui';
import { answerErrors, requestPath, useItem, useSubmitRequest } from './api';
import { AnswerField, type Draft } from './AnswerField';
import { useT } from '../../i18n';

/** What the API takes for one answer: numbers as numbers, everything else as the control holds it. */
function answerOf(f: FormField, v: Draft): SubmitRequest['values'][string] {
  if (f.type === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
    return Number(v);
  return v;
}

/**
 * Which fields are shown and required now, in form order: a condition names an earlier field, and a hidden
 * field's answer counts as not given (the same rule the server checks with).
 */
function visibleFields(fields: readonly FormField[], drafts: Record<string, Draft | undefined>) {
  const shown: Record<string, unknown> = {};
  const out: { field: FormField; required: boolean }[] = [];
  for (const f of fields) {
    if (f.showWhen && !holds(f.showWhen, shown)) continue;
    const v = drafts[f.key];
    if (isGiven(v)) shown[f.key] = typeof v === 'object' && !Array.isArray(v) ? v.fileName : answerOf(f, v!);
    out.push({ field: f, required: f.required || (!!f.requiredWhen && holds(f.requiredWhen, shown)) });
  }
  return out;
}

/** The request form of an item: its typed fields with their conditions; the server checks the answers. */
export function RequestFormPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const item = useItem(id);
  const submit = useSubmitRequest(id);
  const [drafts, setDrafts] = useState<Record<string, Draft | undefined>>({});
  if (item.isPending) return <Loading />;
  if (item.error) return <ErrorAlert error={item.error} />;
  const it = item.data.data;
  const fields = visibleFields(it.fields, drafts);
  const errors = answerErrors(submit.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const values: SubmitRequest['values'] = {};
    for (const { field } of fields) {
      const v = drafts[field.key];
      if (isGiven(v)) values[field.key] = answerOf(field, v!);
    }
    submit.mutate({ values }, { onSuccess: (r) => void navigate(requestPath(r.id)) });
  };
  const levels = it.approvals.map((a) =>
    a.kind === 'manager' ? t('catalogue.yourManager') : (a.teamName ?? ''),
  );
  return (
    <>
      <PageHeader
        title={it.name}
        description={it.description || undefined}
        back={{ to: '/catalogue', label: t('catalogue.title') }}
      />
      <Panel>
        {levels.length > 0 && (
          <p className="muted">{t('catalogue.approvedBy', { who: levels.join(' → ') })}</p>
        )}
        {it.slaPolicyName && <p className="muted">{t('catalogue.slaOf', { name: it.slaPolicyName })}</p>}
        <form
          className="form"
          onSubmit={onSubmit}
          noValidate
          aria-label={t('catalogue.form.label', { name: it.name })}
        >
          <FormError error={submit.error} title={t('catalogue.form.failed')} />
          {fields.map(({ field, required }) => (
            <AnswerField
              key={field.key}
              field={field}
              required={required}
              value={drafts[field.key]}
              error={errors[field.key]}
              onChange={(v) => setDrafts((d) => ({ ...d, [field.key]: v }))}
            />
          ))}
          <FormActions submit={t('catalogue.form.submit')} busy={submit.isPending} cancelTo="/catalogue" />
        </form>
      </Panel>
    </>
  );
}
