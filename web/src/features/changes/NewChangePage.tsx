import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ChangeType } from '@contracts';
import { Button, ErrorAlert, PageHeader, Panel, SelectField, TextAreaField, TextField } from '../../ui';
import { changePath, useCreateChange } from './api';

/** A local date-time input's value as an ISO instant (the browser's time zone), or null when empty. */
const instant = (v: string) => (v ? new Date(v).toISOString() : null);

/** Raises a change as a draft: what, which type, when, and its plans. */
export function NewChangePage() {
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
      <PageHeader title="New change" back={{ to: '/changes', label: 'Changes' }} />
      <Panel>
        <form aria-label="New change" className="stack" onSubmit={submit}>
          {create.isError && <ErrorAlert error={create.error} />}
          <TextField
            label="Title"
            required
            value={f.title}
            onChange={(e) => setF({ ...f, title: e.target.value })}
          />
          <SelectField
            label="Type"
            value={f.type}
            onChange={(e) => setF({ ...f, type: e.target.value as ChangeType })}
          >
            <option value="normal">Normal (assessed and approved)</option>
            <option value="emergency">Emergency (expedited approval)</option>
          </SelectField>
          <TextAreaField
            label="Description"
            value={f.description}
            onChange={(e) => setF({ ...f, description: e.target.value })}
          />
          <TextField
            label="Planned start"
            type="datetime-local"
            value={f.start}
            onChange={(e) => setF({ ...f, start: e.target.value })}
          />
          <TextField
            label="Planned end"
            type="datetime-local"
            value={f.end}
            onChange={(e) => setF({ ...f, end: e.target.value })}
          />
          <TextAreaField
            label="Implementation plan"
            value={plans.implementationPlan}
            onChange={(e) => setPlans({ ...plans, implementationPlan: e.target.value })}
          />
          <TextAreaField
            label="Test plan"
            value={plans.testPlan}
            onChange={(e) => setPlans({ ...plans, testPlan: e.target.value })}
          />
          <TextAreaField
            label="Backout plan"
            value={plans.backoutPlan}
            onChange={(e) => setPlans({ ...plans, backoutPlan: e.target.value })}
          />
          <div>
            <Button type="submit" variant="primary" busy={create.isPending}>
              Raise change
            </Button>
          </div>
        </form>
      </Panel>
    </>
  );
}
