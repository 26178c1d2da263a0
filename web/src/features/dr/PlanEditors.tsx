import type { DrPlan } from '@contracts';
import { Button, SelectField, TextField } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useUserOptions } from '../users/api';
import { useT } from '../../i18n';
import { cycleOrder, moveUp, newContact, newStep, type PlanDraft } from './drafts';

/** What each part of the plan form gets: the draft, its setter and the server's messages by field. */
interface PartProps {
  draft: PlanDraft;
  set: (d: PlanDraft) => void;
  errors: Record<string, string>;
}

/** Who can own a plan or a step: people of IT (up to 200), by name. */
export function PeopleOptions() {
  const t = useT();
  const users = useUserOptions();
  return (
    <>
      <option value="">{t('dr.edit.nobodyYet')}</option>
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

/** The runbook steps: title, owner, expected minutes, instructions, and the items of `scope` each restores. */
export function StepsEditor({ draft, set, errors, scope }: PartProps & { scope: DrPlan['order'] }) {
  const t = useT();
  const setStep = (i: number, patch: Partial<PlanDraft['steps'][number]>) =>
    set({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <fieldset className="dr-fieldset">
      <legend>{t('dr.edit.steps')}</legend>
      {draft.steps.map((s, i) => (
        <div key={s.key} className="dr-editor-row" role="group" aria-label={t('dr.edit.step', { n: i + 1 })}>
          <TextField
            label={t('dr.edit.stepTitle', { n: i + 1 })}
            value={s.title}
            onChange={(e) => setStep(i, { title: e.target.value })}
            error={errors[`steps.${i}.title`]}
          />
          <div className="form-row">
            <SelectField
              label={t('dr.plans.owner')}
              value={s.ownerId}
              onChange={(e) => setStep(i, { ownerId: e.target.value })}
              error={errors[`steps.${i}.ownerId`]}
            >
              <PeopleOptions />
            </SelectField>
            <TextField
              label={t('dr.edit.expected')}
              inputMode="numeric"
              value={s.expectedMinutes}
              onChange={(e) => setStep(i, { expectedMinutes: e.target.value })}
              error={errors[`steps.${i}.expectedMinutes`]}
            />
          </div>
          <MarkdownField
            label={t('dr.edit.instructions')}
            value={s.body}
            onChange={(body) => setStep(i, { body })}
            error={errors[`steps.${i}.body`]}
            rows={4}
          />
          {scope.length > 0 ? (
            <fieldset className="dr-fieldset">
              <legend>{t('dr.edit.restores')}</legend>
              {Object.entries(errors)
                .filter(([k]) => k.startsWith(`steps.${i}.items`))
                .slice(0, 1)
                .map(([k, m]) => (
                  <p key={k} className="field-error">
                    {m}
                  </p>
                ))}
              {scope.map((o) => (
                <label key={o.ciId} className="check">
                  <input
                    type="checkbox"
                    checked={s.items.includes(o.ciId)}
                    onChange={(e) =>
                      setStep(i, {
                        items: e.target.checked ? [...s.items, o.ciId] : s.items.filter((x) => x !== o.ciId),
                      })
                    }
                  />
                  <span>{o.name}</span>
                </label>
              ))}
            </fieldset>
          ) : (
            <p className="muted">{t('dr.edit.saveFirst')}</p>
          )}
          <div>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              onClick={() => set({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
            >
              {t('dr.edit.removeStep', { n: i + 1 })}
            </Button>
          </div>
        </div>
      ))}
      <div>
        <Button type="button" size="sm" onClick={() => set({ ...draft, steps: [...draft.steps, newStep()] })}>
          {t('dr.edit.addStep')}
        </Button>
      </div>
    </fieldset>
  );
}

/** The contacts: a name, role, phone and e-mail each. */
export function ContactsEditor({ draft, set, errors }: PartProps) {
  const t = useT();
  const setContact = (i: number, patch: Partial<PlanDraft['contacts'][number]>) =>
    set({ ...draft, contacts: draft.contacts.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  return (
    <fieldset className="dr-fieldset">
      <legend>{t('dr.edit.contacts')}</legend>
      {draft.contacts.map((c, i) => (
        <div
          key={c.key}
          className="dr-editor-row"
          role="group"
          aria-label={t('dr.edit.contact', { n: i + 1 })}
        >
          <div className="form-row">
            <TextField
              label={t('common.name')}
              value={c.name}
              onChange={(e) => setContact(i, { name: e.target.value })}
              error={errors[`contacts.${i}.name`]}
            />
            <TextField
              label={t('dr.edit.role')}
              value={c.role}
              onChange={(e) => setContact(i, { role: e.target.value })}
              error={errors[`contacts.${i}.role`]}
            />
          </div>
          <div className="form-row">
            <TextField
              label={t('dr.edit.phone')}
              value={c.phone}
              onChange={(e) => setContact(i, { phone: e.target.value })}
              error={errors[`contacts.${i}.phone`]}
            />
            <TextField
              label={t('common.email')}
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
              {t('dr.edit.removeContact', { n: i + 1 })}
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
          {t('dr.edit.addContact')}
        </Button>
      </div>
    </fieldset>
  );
}

/** A person's order for the members of each cycle (items that need each other). */
export function CycleOrderEditor({
  draft,
  set,
  cycles,
}: Omit<PartProps, 'errors'> & { cycles: { id: string; name: string }[][] }) {
  const t = useT();
  return (
    <fieldset className="dr-fieldset">
      <legend>{t('dr.edit.cycles')}</legend>
      <p className="muted">{t('dr.edit.cyclesAbout')}</p>
      {cycles.map((members, n) => (
        <ol key={n} aria-label={t('dr.edit.cycle', { n: n + 1 })}>
          {cycleOrder(members, draft.manualOrder).map((m, i) => (
            <li key={m.id}>
              {m.name}{' '}
              {i > 0 && (
                <Button
                  type="button"
                  size="sm"
                  variant="ghost"
                  onClick={() => set({ ...draft, manualOrder: moveUp(cycles, draft.manualOrder, n, m.id) })}
                >
                  {t('dr.edit.moveUp', { name: m.name })}
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
          {t('dr.edit.useOrder')}
        </Button>
      </div>
    </fieldset>
  );
}
