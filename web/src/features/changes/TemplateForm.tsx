import { type FormEvent, useState } from 'react';
import type { ChangeTemplate, ChangeType, RiskQuestion } from '@contracts';
import { useT } from '../../i18n';
import {
  Button,
  CheckboxField,
  FormActions,
  FormError,
  SelectField,
  TextAreaField,
  TextField,
  fieldErrorsOf,
} from '../../ui';
import { errorAt } from './adminApi';
import { typeName } from './parts';

/** What the template form edits (a question's weight as typed). */
export interface TemplateDraft {
  name: string;
  type: ChangeType;
  description: string;
  questions: { key: string; text: string; weight: string }[];
  implementationPlan: string;
  testPlan: string;
  backoutPlan: string;
  active: boolean;
}

/** A template as the form starts with it (empty for a new one). */
export function draftOf(x?: ChangeTemplate): TemplateDraft {
  return {
    name: x?.name ?? '',
    type: x?.type ?? 'standard',
    description: x?.description ?? '',
    questions: (x?.questions ?? []).map((q) => ({ ...q, weight: String(q.weight) })),
    implementationPlan: x?.implementationPlan ?? '',
    testPlan: x?.testPlan ?? '',
    backoutPlan: x?.backoutPlan ?? '',
    active: x?.active ?? true,
  };
}

/** The questions as the API takes them (a weight that is not a number is sent as typed, for its message). */
export function questionsOf(d: TemplateDraft): RiskQuestion[] {
  return d.questions.map((q) => ({
    key: q.key.trim(),
    text: q.text,
    weight: q.weight.trim() === '' || Number.isNaN(Number(q.weight)) ? Number.NaN : Number(q.weight),
  }));
}

/** The risk questionnaire: yes/no questions, each with a key and the points a yes adds. */
function QuestionsEditor({
  draft,
  set,
  error,
}: {
  draft: TemplateDraft;
  set: (d: TemplateDraft) => void;
  error: unknown;
}) {
  const t = useT();
  const put = (i: number, q: Partial<TemplateDraft['questions'][number]>) =>
    set({ ...draft, questions: draft.questions.map((x, j) => (j === i ? { ...x, ...q } : x)) });
  const listError = errorAt(error, 'questions');
  return (
    <fieldset className="stack-sm">
      <legend>{t('changes.questionnaire')}</legend>
      <p className="muted">{t('changes.questionnaireHint')}</p>
      {listError && <p className="field-error">{listError}</p>}
      <ol className="stack-sm" aria-label={t('changes.questions')}>
        {draft.questions.map((q, i) => (
          <li key={i} className="row">
            <TextField
              label={t('changes.questionKey', { n: i + 1 })}
              value={q.key}
              onChange={(e) => put(i, { key: e.target.value })}
              error={errorAt(error, `questions.${i}.key`)}
            />
            <TextField
              label={t('changes.questionText', { n: i + 1 })}
              value={q.text}
              onChange={(e) => put(i, { text: e.target.value })}
              error={errorAt(error, `questions.${i}.text`)}
            />
            <TextField
              label={t('changes.questionWeight', { n: i + 1 })}
              type="number"
              min={1}
              max={10}
              value={q.weight}
              onChange={(e) => put(i, { weight: e.target.value })}
              error={errorAt(error, `questions.${i}.weight`)}
            />
            <Button
              size="sm"
              onClick={() => set({ ...draft, questions: draft.questions.filter((_, j) => j !== i) })}
            >
              {t('changes.removeQuestion', { n: i + 1 })}
            </Button>
          </li>
        ))}
      </ol>
      <div>
        <Button
          size="sm"
          onClick={() =>
            set({ ...draft, questions: [...draft.questions, { key: '', text: '', weight: '1' }] })
          }
        >
          {t('changes.addQuestion')}
        </Button>
      </div>
    </fieldset>
  );
}

/** The fields of a template, for "new template" and "edit template"; the server's messages beside them. */
export function TemplateForm({
  initial,
  isNew,
  submitLabel,
  errorTitle,
  busy,
  error,
  onSubmit,
}: {
  initial: TemplateDraft;
  isNew: boolean;
  submitLabel: string;
  errorTitle: string;
  busy: boolean;
  error: unknown;
  onSubmit: (d: TemplateDraft) => void;
}) {
  const t = useT();
  const [d, setD] = useState(initial);
  const errors = fieldErrorsOf(error);
  const text = (name: Exclude<keyof TemplateDraft, 'questions' | 'active'>) => ({
    value: d[name],
    error: errors[name],
    onChange: (e: { target: { value: string } }) => setD({ ...d, [name]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(d);
  };
  return (
    <form className="form" noValidate aria-label={t('changes.template')} onSubmit={submit}>
      <FormError error={error} title={errorTitle} />
      <TextField label={t('common.name')} required {...text('name')} />
      {isNew && (
        <SelectField label={t('changes.type')} {...text('type')}>
          {(['standard', 'normal', 'emergency'] as const).map((x) => (
            <option key={x} value={x}>
              {typeName(t, x)}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField label={t('changes.description')} {...text('description')} />
      <QuestionsEditor draft={d} set={setD} error={error} />
      <TextAreaField label={t('changes.implementationPlan')} {...text('implementationPlan')} />
      <TextAreaField label={t('changes.testPlan')} {...text('testPlan')} />
      <TextAreaField label={t('changes.backoutPlan')} {...text('backoutPlan')} />
      <CheckboxField
        label={t('changes.templateActive')}
        hint={t('changes.templateActiveHint')}
        checked={d.active}
        onChange={(e) => setD({ ...d, active: e.target.checked })}
      />
      <FormActions submit={submitLabel} busy={busy} cancelTo="/changes/templates" />
    </form>
  );
}
