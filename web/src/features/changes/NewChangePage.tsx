import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ChangeType } from '@contracts';
import { useT } from '../../i18n';
import { Button, ErrorAlert, PageHeader, Panel, SelectField, TextAreaField, TextField } from '../../ui';
import { changePath, useCreateChange } from './api';
import { instant } from './parts';

/** Raises a change as a draft: what, which type, when, and its plans. */
export function NewChangePage() {
  const t = useT();
  const create = useCreateChange();
  const navigate = useNavigate();
  const [f, setF] = useState({
    title: '',
    type: 'normal' as ChangeType,
    start: '',
    end: '',
    description: '',
  });
  const [plans, setPlans] = useState({ implementationPlan: '', testPlan: '', backoutPlan: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        title: f.title,
        type: f.type,
        description: f.description,
        plannedStart: instant(f.start),
        plannedEnd: instant(f.end),
        ...plans,
      },
      { onSuccess: (c) => void navigate(changePath(c.id)) },
    );
  };
  return (
    <>
      <PageHeader title={t('changes.new')} back={{ to: '/changes', label: t('nav.changes') }} />
      <Panel>
        <form aria-label={t('changes.new')} className="stack" onSubmit={submit}>
          {create.isError && <ErrorAlert error={create.error} />}
          <TextField
            label={t('changes.titleColumn')}
            required
            value={f.title}
            onChange={(e) => setF({ ...f, title: e.target.value })}
          />
          <SelectField
            label={t('changes.type')}
            value={f.type}
            onChange={(e) => setF({ ...f, type: e.target.value as ChangeType })}
          >
            <option value="normal">{t('changes.normalOption')}</option>
            <option value="emergency">{t('changes.emergencyOption')}</option>
          </SelectField>
          <TextAreaField
            label={t('changes.description')}
            value={f.description}
            onChange={(e) => setF({ ...f, description: e.target.value })}
          />
          <TextField
            label={t('changes.plannedStart')}
            type="datetime-local"
            value={f.start}
            onChange={(e) => setF({ ...f, start: e.target.value })}
          />
          <TextField
            label={t('changes.plannedEnd')}
            type="datetime-local"
            value={f.end}
            onChange={(e) => setF({ ...f, end: e.target.value })}
          />
          <TextAreaField
            label={t('changes.implementationPlan')}
            value={plans.implementationPlan}
            onChange={(e) => setPlans({ ...plans, implementationPlan: e.target.value })}
          />
          <TextAreaField
            label={t('changes.testPlan')}
            value={plans.testPlan}
            onChange={(e) => setPlans({ ...plans, testPlan: e.target.value })}
          />
          <TextAreaField
            label={t('changes.backoutPlan')}
            value={plans.backoutPlan}
            onChange={(e) => setPlans({ ...plans, backoutPlan: e.target.value })}
          />
          <div>
            <Button type="submit" variant="primary" busy={create.isPending}>
              {t('changes.raise')}
            </Button>
          </div>
        </form>
      </Panel>
    </>
  );
}
