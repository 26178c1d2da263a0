import type { FormEvent, ReactNode } from 'react';
import type { DrPlan } from '@contracts';
import { Button, SelectField, TextField, fieldErrorsOf } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useUserOptions } from '../users/api';
import { useServices } from './api';
import { cycleOrder, moveUp, newContact, newStep, type PlanDraft } from './drafts';

/** Who can own a plan or a step: people of IT (up to 200), by name. */
function PeopleOptions() {
  const users = useUserOptions();
  return (
    <>
      <option value="">Nobody yet</option>
      {(users.data ?? [])
        .filter((u) => u.active && u.role !== 'requester')
        .map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
    </>
  );
}

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
  const setStep = (i: number, patch: Partial<PlanDraft['steps'][number]>) =>
    set({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const setContact = (i: number, patch: Partial<PlanDraft['contacts'][number]>) =>
    set({ ...draft, contacts: draft.contacts.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const cycles = plan && scope.length > 0 ? plan.cycles.map((c) => c.items) : [];
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={label}>
      <TextField label="Name" maxLength={200} {...text('name')} />
      <SelectField
        label="Business service"
        value={draft.serviceId}
        onChange={(e) => set({ ...draft, serviceId: e.target.value })}
        error={errors.serviceId}
        hint="What it runs on and depends on in the inventory is the plan’s scope."
      >
        <option value="">Choose a service</option>
        {(services.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <div className="form-row-3">
        <TextField
          label="RTO (minutes)"
          inputMode="numeric"
          hint="Back in service within"
          {...text('rtoMinutes')}
        />
        <TextField
          label="RPO (minutes)"
          inputMode="numeric"
          hint="Work that may be lost"
          {...text('rpoMinutes')}
        />
        <TextField label="Review due" type="date" {...text('reviewDue')} />
      </div>
      <SelectField
        label="Owner"
        value={draft.ownerId}
        onChange={(e) => set({ ...draft, ownerId: e.target.value })}
        error={errors.ownerId}
      >
        <PeopleOptions />
      </SelectField>
      <MarkdownField
        label="Summary"
        value={draft.summary}
        onChange={(summary) => set({ ...draft, summary })}
        error={errors.summary}
        rows={3}
      />
      <fieldset className="stack-sm">
        <legend>Runbook steps</legend>
        {draft.steps.map((s, i) => (
          <div key={s.key} className="dr-editor-row" role="group" aria-label={`Step ${i + 1}`}>
            <TextField
              label={`Step ${i + 1}: title`}
              value={s.title}
              onChange={(e) => setStep(i, { title: e.target.value })}
              error={errors[`steps.${i}.title`]}
            />
            <div className="form-row">
              <SelectField
                label="Owner"
                value={s.ownerId}
                onChange={(e) => setStep(i, { ownerId: e.target.value })}
                error={errors[`steps.${i}.ownerId`]}
              >
                <PeopleOptions />
              </SelectField>
              <TextField
                label="Expected minutes"
                inputMode="numeric"
                value={s.expectedMinutes}
                onChange={(e) => setStep(i, { expectedMinutes: e.target.value })}
                error={errors[`steps.${i}.expectedMinutes`]}
              />
            </div>
            <MarkdownField
              label="Instructions"
              value={s.body}
              onChange={(body) => setStep(i, { body })}
              error={errors[`steps.${i}.body`]}
              rows={4}
            />
            {scope.length > 0 ? (
              <fieldset>
                <legend>Restores</legend>
                {scope.map((o) => (
                  <label key={o.ciId} className="check">
                    <input
                      type="checkbox"
                      checked={s.items.includes(o.ciId)}
                      onChange={(e) =>
                        setStep(i, {
                          items: e.target.checked
                            ? [...s.items, o.ciId]
                            : s.items.filter((x) => x !== o.ciId),
                        })
                      }
                    />
                    <span>{o.name}</span>
                  </label>
                ))}
              </fieldset>
            ) : (
              <p className="muted">Save the plan to link this step to the items it restores.</p>
            )}
            <div>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => set({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
              >
                Remove step {i + 1}
              </Button>
            </div>
          </div>
        ))}
        <div>
          <Button
            type="button"
            size="sm"
            onClick={() => set({ ...draft, steps: [...draft.steps, newStep()] })}
          >
            Add step
          </Button>
        </div>
      </fieldset>
      <fieldset className="stack-sm">
        <legend>Contacts</legend>
        {draft.contacts.map((c, i) => (
          <div key={c.key} className="dr-editor-row" role="group" aria-label={`Contact ${i + 1}`}>
            <div className="form-row">
              <TextField
                label="Name"
                value={c.name}
                onChange={(e) => setContact(i, { name: e.target.value })}
                error={errors[`contacts.${i}.name`]}
              />
              <TextField
                label="Role"
                value={c.role}
                onChange={(e) => setContact(i, { role: e.target.value })}
                error={errors[`contacts.${i}.role`]}
              />
            </div>
            <div className="form-row">
              <TextField
                label="Phone"
                value={c.phone}
                onChange={(e) => setContact(i, { phone: e.target.value })}
                error={errors[`contacts.${i}.phone`]}
              />
              <TextField
                label="E-mail"
                value={c.email}
                onChange={(e) => setContact(i, { email: e.target.value })}
                error={errors[`contacts.${i}.email`]}
              />
            </div>
            <div>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => set({ ...draft, contacts: draft.contacts.filter((_, j) => j !== i) })}
              >
                Remove contact {i + 1}
              </Button>
            </div>
          </div>
        ))}
        <div>
          <Button
            type="button"
            size="sm"
            onClick={() => set({ ...draft, contacts: [...draft.contacts, newContact()] })}
          >
            Add contact
          </Button>
        </div>
      </fieldset>
      {cycles.length > 0 && (
        <fieldset className="stack-sm">
          <legend>Order within cycles</legend>
          <p className="muted">These items need each other: choose the order they are recovered in.</p>
          {cycles.map((members, n) => (
            <ol key={n} aria-label={`Cycle ${n + 1}`}>
              {cycleOrder(members, draft.manualOrder).map((m, i) => (
                <li key={m.id}>
                  {m.name}{' '}
                  {i > 0 && (
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      onClick={() =>
                        set({ ...draft, manualOrder: moveUp(cycles, draft.manualOrder, n, m.id) })
                      }
                    >
                      Move {m.name} up
                    </Button>
                  )}
                </li>
              ))}
            </ol>
          ))}
          <div>
            <Button
              type="button"
              size="sm"
              onClick={() =>
                set({
                  ...draft,
                  manualOrder: cycles.flatMap((c) => cycleOrder(c, draft.manualOrder).map((m) => m.id)),
                })
              }
            >
              Use this order
            </Button>
          </div>
        </fieldset>
      )}
      {actions}
    </form>
  );
}
