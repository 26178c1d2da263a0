import type { FormField } from '@contracts';
import { CheckboxField, PersonField, SelectField, TextAreaField, TextField } from '../../ui';
import { useMyDevices } from '../portal/api';
import { translate, useT } from '../../i18n';

/** An answer as the form holds it: text, a number's text, choices, or a file read in base64. */
export type Draft = string | string[] | { fileName: string; contentBase64: string };

/** Reads a file as base64 (what the API takes for an attachment field). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve((typeof r.result === 'string' ? r.result : '').replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error(translate('catalogue.form.fileUnreadable')));
    r.readAsDataURL(file);
  });
}

/** One field of an item's form as the control of its type, with the server's message for it. */
export function AnswerField({
  field: f,
  value,
  required,
  error,
  onChange,
}: {
  field: FormField;
  value: Draft | undefined;
  required: boolean;
  error: string | undefined;
  onChange: (v: Draft | undefined) => void;
}) {
  const t = useT();
  const devices = useMyDevices();
  const common = { label: f.label, hint: f.help, error, required, name: f.key };
  const text = typeof value === 'string' ? value : '';
  switch (f.type) {
    case 'text':
      return f.multiline ? (
        <TextAreaField {...common} value={text} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <TextField {...common} value={text} onChange={(e) => onChange(e.target.value)} />
      );
    case 'number':
      return (
        <TextField
          {...common}
          type="number"
          inputMode="decimal"
          min={f.min}
          max={f.max}
          step={f.integer ? 1 : 'any'}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'date':
      return (
        <TextField
          {...common}
          type="date"
          min={f.min}
          max={f.max}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'choice':
      if (f.multiple) {
        const picked = Array.isArray(value) ? value : [];
        return (
          <fieldset className="field">
            <legend className="field-label">{f.label}</legend>
            {f.choices.map((c) => (
              <CheckboxField
                key={c.value}
                label={c.label}
                checked={picked.includes(c.value)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...picked, c.value] : picked.filter((x) => x !== c.value))
                }
              />
            ))}
            {error !== undefined && <span className="field-error">{error}</span>}
          </fieldset>
        );
      }
      return (
        <SelectField {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('catalogue.form.choose')}</option>
          {f.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
      );
    case 'user':
      return (
        <PersonField
          label={f.label}
          hint={f.help ?? t('catalogue.form.userHint')}
          error={error}
          required={required}
          onChange={onChange}
        />
      );
    case 'ci':
      return (
        <SelectField {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('catalogue.form.chooseDevice')}</option>
          {devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
      );
    case 'attachment':
      return (
        <TextField
          {...common}
          type="file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return onChange(undefined);
            void readBase64(file).then((contentBase64) => onChange({ fileName: file.name, contentBase64 }));
          }}
        />
      );
  }
}
