import { FIELD_TYPES, type FieldType, type FormField, type FormFieldInput } from '@contracts';
import { Button, CheckboxField, SelectField, TextAreaField, TextField } from '../../ui';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/catalogues';

/** One field as the builder edits it: every rule as text, turned into a form field on save. */
export interface FieldDraft {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  help: string;
  multiline: boolean;
  multiple: boolean;
  integer: boolean;
  min: string;
  max: string;
  pattern: string;
  /** One choice a line: `value=Label` (or just `value`). */
  choices: string;
  showField: string;
  showValues: string;
  requiredField: string;
  requiredValues: string;
}

export const TYPE_KEY: Record<FieldType, MessageKey> = {
  text: 'catalogue.type.text',
  number: 'catalogue.type.number',
  date: 'catalogue.type.date',
  choice: 'catalogue.type.choice',
  user: 'catalogue.type.user',
  ci: 'catalogue.type.ci',
  attachment: 'catalogue.type.attachment',
};

/** A new, empty field. */
export const newField = (n: number): FieldDraft => ({
  key: `field_${n}`,
  label: '',
  type: 'text',
  required: false,
  help: '',
  multiline: false,
  multiple: false,
  integer: false,
  min: '',
  max: '',
  pattern: '',
  choices: '',
  showField: '',
  showValues: '',
  requiredField: '',
  requiredValues: '',
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The builder's drafts of a saved form. */
export function draftsOf(fields: readonly FormField[]): FieldDraft[] {
  return fields.map((f, i) => ({
    ...newField(i + 1),
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required,
    help: f.help ?? '',
    multiline: f.type === 'text' && !!f.multiline,
    multiple: f.type === 'choice' && !!f.multiple,
    integer: f.type === 'number' && !!f.integer,
    min: f.type === 'number' || f.type === 'date' ? String(f.min ?? '') : '',
    max: f.type === 'number' || f.type === 'date' ? String(f.max ?? '') : '',
    pattern: f.type === 'text' ? (f.pattern ?? '') : '',
    choices: f.type === 'choice' ? f.choices.map((c) => `${c.value}=${c.label}`).join('\n') : '',
    showField: f.showWhen?.field ?? '',
    showValues: f.showWhen?.equals?.join(', ') ?? '',
    requiredField: f.requiredWhen?.field ?? '',
    requiredValues: f.requiredWhen?.equals?.join(', ') ?? '',
  }));
}

/** The form field a draft describes (the server checks it and names what is wrong). */
export function fieldOf(d: FieldDraft): FormFieldInput {
  const cond = (field: string, values: string) =>
    field ? { field, ...(list(values).length ? { equals: list(values) } : {}) } : undefined;
  const base = {
    key: d.key.trim(),
    label: d.label,
    required: d.required,
    ...(d.help.trim() ? { help: d.help } : {}),
    ...(cond(d.showField, d.showValues) ? { showWhen: cond(d.showField, d.showValues) } : {}),
    ...(cond(d.requiredField, d.requiredValues)
      ? { requiredWhen: cond(d.requiredField, d.requiredValues) }
      : {}),
  };
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  switch (d.type) {
    case 'text':
      return { ...base, type: 'text', multiline: d.multiline, ...(d.pattern ? { pattern: d.pattern } : {}) };
    case 'number':
      return { ...base, type: 'number', integer: d.integer, min: num(d.min), max: num(d.max) };
    case 'date':
      return { ...base, type: 'date', ...(d.min ? { min: d.min } : {}), ...(d.max ? { max: d.max } : {}) };
    case 'choice':
      return {
        ...base,
        type: 'choice',
        multiple: d.multiple,
        choices: d.choices
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const at = l.indexOf('=');
            return at < 0
              ? { value: l, label: l }
              : { value: l.slice(0, at).trim(), label: l.slice(at + 1).trim() };
          }),
      };
    case 'user':
    case 'ci':
    case 'attachment':
      return { ...base, type: d.type };
  }
}

/** The form builder: fields in order, each with its type's rules and its conditions on earlier fields. */
export function FormBuilder({
  value,
  onChange,
  errors,
}: {
  value: FieldDraft[];
  onChange: (v: FieldDraft[]) => void;
  errors: Record<string, string>;
}) {
  const t = useT();
  const set = (i: number, patch: Partial<FieldDraft>) =>
    onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const move = (i: number, by: number) => {
    const next = [...value];
    const [d] = next.splice(i, 1);
    next.splice(i + by, 0, d!);
    onChange(next);
  };
  return (
    <fieldset className="field" aria-label={t('catalogue.builder.title')}>
      <legend className="field-label">{t('catalogue.builder.title')}</legend>
      {value.map((d, i) => {
        const earlier = value.slice(0, i);
        const err = (k: string) => errors[`fields.${i}.${k}`];
        return (
          <div
            key={i}
            className="catalogue-builder-row"
            role="group"
            aria-label={t('catalogue.builder.field', { n: i + 1 })}
          >
            <TextField
              label={t('catalogue.builder.key')}
              value={d.key}
              error={err('key')}
              onChange={(e) => set(i, { key: e.target.value })}
            />
            <TextField
              label={t('catalogue.builder.label')}
              value={d.label}
              error={err('label')}
              onChange={(e) => set(i, { label: e.target.value })}
            />
            <SelectField
              label={t('catalogue.builder.type')}
              value={d.type}
              error={err('type')}
              onChange={(e) => set(i, { type: e.target.value as FieldType })}
            >
              {FIELD_TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(TYPE_KEY[ty])}
                </option>
              ))}
            </SelectField>
            <CheckboxField
              label={t('catalogue.builder.required')}
              checked={d.required}
              onChange={(e) => set(i, { required: e.target.checked })}
            />
            {d.type === 'text' && (
              <>
                <CheckboxField
                  label={t('catalogue.builder.multiline')}
                  checked={d.multiline}
                  onChange={(e) => set(i, { multiline: e.target.checked })}
                />
                <TextField
                  label={t('catalogue.builder.pattern')}
                  value={d.pattern}
                  error={err('pattern')}
                  onChange={(e) => set(i, { pattern: e.target.value })}
                />
              </>
            )}
            {(d.type === 'number' || d.type === 'date') && (
              <>
                <TextField
                  label={t('catalogue.builder.min')}
                  type={d.type}
                  value={d.min}
                  error={err('min')}
                  onChange={(e) => set(i, { min: e.target.value })}
                />
                <TextField
                  label={t('catalogue.builder.max')}
                  type={d.type}
                  value={d.max}
                  error={err('max')}
                  onChange={(e) => set(i, { max: e.target.value })}
                />
              </>
            )}
            {d.type === 'choice' && (
              <>
                <TextAreaField
                  label={t('catalogue.builder.choices')}
                  hint={t('catalogue.builder.choicesHint')}
                  value={d.choices}
                  error={err('choices')}
                  onChange={(e) => set(i, { choices: e.target.value })}
                />
                <CheckboxField
                  label={t('catalogue.builder.multiple')}
                  checked={d.multiple}
                  onChange={(e) => set(i, { multiple: e.target.checked })}
                />
              </>
            )}
            {earlier.length > 0 && (
              <>
                <SelectField
                  label={t('catalogue.builder.showWhen')}
                  value={d.showField}
                  error={err('showWhen')}
                  onChange={(e) => set(i, { showField: e.target.value })}
                >
                  <option value="">{t('catalogue.builder.always')}</option>
                  {earlier.map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.label || o.key}
                    </option>
                  ))}
                </SelectField>
                {d.showField && (
                  <TextField
                    label={t('catalogue.builder.showValues')}
                    hint={t('catalogue.builder.valuesHint')}
                    value={d.showValues}
                    onChange={(e) => set(i, { showValues: e.target.value })}
                  />
                )}
                <SelectField
                  label={t('catalogue.builder.requiredWhen')}
                  value={d.requiredField}
                  error={err('requiredWhen')}
                  onChange={(e) => set(i, { requiredField: e.target.value })}
                >
                  <option value="">{t('catalogue.builder.never')}</option>
                  {earlier.map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.label || o.key}
                    </option>
                  ))}
                </SelectField>
                {d.requiredField && (
                  <TextField
                    label={t('catalogue.builder.requiredValues')}
                    hint={t('catalogue.builder.valuesHint')}
                    value={d.requiredValues}
                    onChange={(e) => set(i, { requiredValues: e.target.value })}
                  />
                )}
              </>
            )}
            <div className="form-actions">
              {i > 0 && (
                <Button size="sm" onClick={() => move(i, -1)}>
                  {t('catalogue.builder.up')}
                </Button>
              )}
              {i < value.length - 1 && (
                <Button size="sm" onClick={() => move(i, 1)}>
                  {t('catalogue.builder.down')}
                </Button>
              )}
              <Button size="sm" variant="ghost" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                {t('catalogue.builder.remove')}
              </Button>
            </div>
          </div>
        );
      })}
      <Button onClick={() => onChange([...value, newField(value.length + 1)])}>
        {t('catalogue.builder.add')}
      </Button>
    </fieldset>
  );
}
