import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { TicketTemplate, TicketType } from '@contracts';
import {
  CheckboxField,
  FormActions,
  FormError,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useCreateTicket } from '../tickets/api';
import {
  appliesTo,
  FieldInputs,
  fieldErrors,
  toDraft,
  toValues,
  useFieldDefs,
  type FieldDraft,
} from '../tickets/fields';
import { TemplatePicker } from './TemplatePicker';
import { CategoryOptions } from '../tickets/parts';
import { useMyDevices } from './api';
import { ArticleSuggestions } from '../knowledge/ArticleSuggestions';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/catalogues';

/** "How many people are affected?" in words, as impact 1–5. */
const IMPACT = [
  [1, 'newRequest.impact1'],
  [3, 'newRequest.impact3'],
  [5, 'newRequest.impact5'],
] as const satisfies readonly (readonly [number, MessageKey])[];
/** "How urgent is it?" in words, as urgency 1–5. */
const URGENCY = [
  [1, 'newRequest.urgency1'],
  [3, 'newRequest.urgency3'],
  [5, 'newRequest.urgency5'],
] as const satisfies readonly (readonly [number, MessageKey])[];

/** The portal's short form: what kind of help, a title, a Markdown description, a category, and how bad. */
export function NewRequestPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const create = useCreateTicket();
  const [type, setType] = useState<TicketType>(params.get('type') === 'request' ? 'request' : 'incident');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [impact, setImpact] = useState('1');
  const [urgency, setUrgency] = useState('3');
  const [ciIds, setCiIds] = useState<string[]>([]);
  const devices = useMyDevices();
  const [draft, setDraft] = useState<FieldDraft>({});
  const [template, setTemplate] = useState<TicketTemplate | null>(null);
  const defs = (useFieldDefs().data ?? []).filter((f) => appliesTo(f, type, categoryId));
  const pick = (tpl: TicketTemplate | null) => {
    setTemplate(tpl);
    if (!tpl) return;
    setType(tpl.type);
    setTitle(tpl.title);
    setDescription(tpl.description);
    setCategoryId(tpl.categoryId ?? '');
    setDraft(toDraft(tpl.fields));
  };
  // a field's message goes away once the person changes the field
  const { bind, errors, touch, summary } = useFieldErrors(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        type,
        title,
        description,
        impact: Number(impact),
        urgency: Number(urgency),
        ...(categoryId === '' ? {} : { categoryId }),
        ...(ciIds.length === 0 ? {} : { ciIds }),
        ...(template?.teamId ? { teamId: template.teamId } : {}),
        ...(template?.priority ? { priorityOverride: template.priority } : {}),
        fields: toValues(defs, draft) as Record<string, string | number | boolean>,
      },
      {
        onSuccess: (ticket) =>
          void navigate(`/portal/tickets/${ticket.id}`, {
            state: { notice: t('newRequest.opened', { key: ticket.key }) },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title={type === 'request' ? t('portal.requestSomething') : t('portal.reportProblem')}
        back={{ to: '/portal', label: t('portal.title') }}
      />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label={t('newRequest.form')}>
          <FormError error={summary} title={t('newRequest.notSent')} />
          <TemplatePicker onPick={pick} />
          <fieldset className="choice-cards">
            <legend className="field-label">{t('newRequest.what')}</legend>
            <label>
              <input
                type="radio"
                name="type"
                checked={type === 'incident'}
                onChange={() => setType('incident')}
              />
              <span>
                <strong>{t('newRequest.broken')}</strong>
                <span className="muted">{t('newRequest.brokenHint')}</span>
              </span>
            </label>
            <label>
              <input
                type="radio"
                name="type"
                checked={type === 'request'}
                onChange={() => setType('request')}
              />
              <span>
                <strong>{t('newRequest.need')}</strong>
                <span className="muted">{t('newRequest.needHint')}</span>
              </span>
            </label>
          </fieldset>
          <TextField
            label={t('newRequest.title')}
            hint={t('newRequest.titleHint')}
            required
            maxLength={200}
            {...bind('title', title, setTitle)}
          />
          <MarkdownField
            label={t('newRequest.description')}
            hint={t('newRequest.descriptionHint')}
            value={description}
            onChange={(v) => {
              setDescription(v);
              touch('description');
            }}
            error={errors.description}
            rows={8}
          />
          <SelectField label={t('newRequest.category')} {...bind('categoryId', categoryId, setCategoryId)}>
            <option value="">{t('newRequest.dontKnow')}</option>
            <CategoryOptions />
          </SelectField>
          <FieldInputs fields={defs} draft={draft} onChange={setDraft} errorOf={fieldErrors(create.error)} />
          {devices.length > 0 && (
            <fieldset className="checks">
              <legend className="field-label">{t('newRequest.devices')}</legend>
              {devices.map((d) => (
                <CheckboxField
                  key={d.id}
                  label={d.assetTag ? `${d.name} (${d.assetTag})` : d.name}
                  checked={ciIds.includes(d.id)}
                  onChange={(e) =>
                    setCiIds((ids) => (e.target.checked ? [...ids, d.id] : ids.filter((x) => x !== d.id)))
                  }
                />
              ))}
            </fieldset>
          )}
          <div className="form-row">
            <SelectField label={t('newRequest.affected')} {...bind('impact', impact, setImpact)}>
              {IMPACT.map(([v, l]) => (
                <option key={v} value={v}>
                  {t(l)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('newRequest.urgent')} {...bind('urgency', urgency, setUrgency)}>
              {URGENCY.map(([v, l]) => (
                <option key={v} value={v}>
                  {t(l)}
                </option>
              ))}
            </SelectField>
          </div>
          <FormActions submit={t('newRequest.send')} busy={create.isPending} cancelTo="/portal" />
        </form>
      </Panel>
      <ArticleSuggestions text={`${title} ${description}`} sending={create.isPending || create.isSuccess} />
    </>
  );
}
