import type { FormEvent, ReactNode } from 'react';
import type { DrPlan } from '@contracts';
import { SelectField, TextField, fieldErrorsOf } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useServices } from './api';
import { useT } from '../../i18n';
import type { PlanDraft } from './drafts';
import { ContactsEditor, CycleOrderEditor, PeopleOptions, StepsEditor } from './PlanEditors';

/**
 * A plan's fields: the service, targets, owner, review date, summary, runbook steps, contacts, and (when the
 * plan exists and its scope has cycles) a person's order for them. `plan` is the stored plan being edited.
 */
export function PlanForm({
  draft,
  set,
  error,
  label,
  plan,
  onSubmit,
  actions,
}: {
  draft: PlanDraft;
  set: (d: PlanDraft) => void;
  error: unknown;
  label: string;
  plan?: DrPlan;
  onSubmit: () => void;
  actions: ReactNode;
}) {
  const t = useT();
  const services = useServices();
  const errors = fieldErrorsOf(error);
  const text = (key: 'name' | 'rtoMinutes' | 'rpoMinutes' | 'reviewDue') => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set({ ...draft, [key]: e.target.value }),
    error: errors[key],
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const scope = plan && plan.service.id === draft.serviceId ? plan.order : [];
  const cycles = plan && scope.length > 0 ? plan.cycles.map((c) => c.items) : [];
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={label}>
      <TextField label={t('common.name')} maxLength={200} {...text('name')} />
      <SelectField
        label={t('dr.form.service')}
        value={draft.serviceId}
        onChange={(e) =>
          // Items of another service's scope cannot stay linked to steps or ordered.
          set({
            ...draft,
            serviceId: e.target.value,
            steps: draft.steps.map((s) => ({ ...s, items: [] })),
            manualOrder: [],
          })
        }
        error={errors.serviceId}
        hint={t('dr.form.serviceHint')}
      >
        <option value="">{t('dr.form.chooseService')}</option>
        {(services.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <div className="form-row-3">
        <TextField
          label={t('dr.form.rto')}
          inputMode="numeric"
          hint={t('dr.form.rtoHint')}
          {...text('rtoMinutes')}
        />
        <TextField
          label={t('dr.form.rpo')}
          inputMode="numeric"
          hint={t('dr.form.rpoHint')}
          {...text('rpoMinutes')}
        />
        <TextField label={t('dr.form.reviewDue')} type="date" {...text('reviewDue')} />
      </div>
      <SelectField
        label={t('dr.plans.owner')}
        value={draft.ownerId}
        onChange={(e) => set({ ...draft, ownerId: e.target.value })}
        error={errors.ownerId}
      >
        <PeopleOptions />
      </SelectField>
      <MarkdownField
        label={t('dr.form.summary')}
        value={draft.summary}
        onChange={(summary) => set({ ...draft, summary })}
        error={errors.summary}
        rows={3}
      />
      <StepsEditor draft={draft} set={set} errors={errors} scope={scope} />
      <ContactsEditor draft={draft} set={set} errors={errors} />
      {cycles.length > 0 && <CycleOrderEditor draft={draft} set={set} cycles={cycles} />}
      {actions}
    </form>
  );
}
