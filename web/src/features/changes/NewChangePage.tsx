import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ChangeTemplate, ChangeType } from '@contracts';
import { useT } from '../../i18n';
import {
  Button,
  CheckboxField,
  ErrorAlert,
  ItemPicker,
  PageHeader,
  Panel,
  SelectField,
  TextAreaField,
  TextField,
  type PickedItem,
} from '../../ui';
import { templates } from './adminApi';
import { changePath, useCreateChange } from './api';
import { instant, typeName } from './parts';

const NO_PLANS = { implementationPlan: '', testPlan: '', backoutPlan: '' };

/** The items a change touches: chosen by name from the CMDB, shown by name, each removable. */
function ItemsField({ items, onChange }: { items: PickedItem[]; onChange: (items: PickedItem[]) => void }) {
  const t = useT();
  return (
    <fieldset className="field">
      <legend className="field-label">{t('changes.items')}</legend>
      {items.length === 0 ? (
        <span className="field-hint">{t('changes.itemsHint')}</span>
      ) : (
        <ul className="chips" aria-label={t('changes.items')}>
          {items.map((i) => (
            <li key={i.id} className="chip">
              <span>{i.name}</span>
              <button
                type="button"
                aria-label={t('changes.removeItem', { name: i.name })}
                onClick={() => onChange(items.filter((x) => x.id !== i.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <ItemPicker
        exclude={items.map((i) => i.id)}
        onPick={(i) => onChange([...items, i])}
        words={{
          label: t('changes.findItem'),
          placeholder: t('changes.findItemPlaceholder'),
          results: t('changes.itemsFound'),
          noMatch: t('changes.noItemMatches'),
          button: t('changes.addItem'),
          buttonLabel: (name) => t('changes.addItemNamed', { name }),
        }}
      />
    </fieldset>
  );
}

/** A template's yes/no risk questions, each a checkbox. */
function Questionnaire({
  tpl,
  answers,
  onChange,
}: {
  tpl: ChangeTemplate;
  answers: Record<string, boolean>;
  onChange: (answers: Record<string, boolean>) => void;
}) {
  const t = useT();
  if (tpl.questions.length === 0) return null;
  return (
    <fieldset className="field stack-sm">
      <legend className="field-label">{t('changes.questionnaire')}</legend>
      {tpl.questions.map((q) => (
        <CheckboxField
          key={q.key}
          label={q.text}
          checked={answers[q.key] === true}
          onChange={(e) => onChange({ ...answers, [q.key]: e.target.checked })}
        />
      ))}
    </fieldset>
  );
}

/** Raises a change as a draft: from a catalogue template or not, what, which items, when, and its plans. */
export function NewChangePage() {
  const t = useT();
  const create = useCreateChange();
  const navigate = useNavigate();
  const catalogue = templates.useList();
  const active = (catalogue.data ?? []).filter((x) => x.active);
  const [f, setF] = useState({
    title: '',
    type: 'normal' as ChangeType,
    start: '',
    end: '',
    description: '',
  });
  const [tpl, setTpl] = useState<ChangeTemplate | undefined>();
  const [items, setItems] = useState<PickedItem[]>([]);
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const [plans, setPlans] = useState(NO_PLANS);
  /** A template fills in the type, the plans and the questions (the plans stay editable). */
  const pickTemplate = (id: string) => {
    const next = active.find((x) => x.id === id);
    setTpl(next);
    setAnswers({});
    if (next) {
      setF({ ...f, type: next.type, description: f.description || next.description });
      setPlans({
        implementationPlan: next.implementationPlan,
        testPlan: next.testPlan,
        backoutPlan: next.backoutPlan,
      });
    } else setF({ ...f, type: f.type === 'standard' ? 'normal' : f.type });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        title: f.title,
        ...(tpl ? { templateId: tpl.id, answers } : { type: f.type }),
        description: f.description,
        itemIds: items.map((i) => i.id),
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
          <SelectField
            label={t('changes.template')}
            hint={t('changes.templateHint')}
            value={tpl?.id ?? ''}
            onChange={(e) => pickTemplate(e.target.value)}
          >
            <option value="">{t('changes.noTemplate')}</option>
            {active.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({typeName(t, x.type)})
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('changes.titleColumn')}
            required
            value={f.title}
            onChange={(e) => setF({ ...f, title: e.target.value })}
          />
          <SelectField
            label={t('changes.type')}
            value={f.type}
            disabled={tpl !== undefined}
            onChange={(e) => setF({ ...f, type: e.target.value as ChangeType })}
          >
            {tpl?.type === 'standard' && <option value="standard">{typeName(t, 'standard')}</option>}
            <option value="normal">{t('changes.normalOption')}</option>
            <option value="emergency">{t('changes.emergencyOption')}</option>
          </SelectField>
          <TextAreaField
            label={t('changes.description')}
            value={f.description}
            onChange={(e) => setF({ ...f, description: e.target.value })}
          />
          <ItemsField items={items} onChange={setItems} />
          {tpl && <Questionnaire tpl={tpl} answers={answers} onChange={setAnswers} />}
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
