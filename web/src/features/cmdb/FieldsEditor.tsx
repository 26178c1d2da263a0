import type { CiField } from '@contracts';
import { ApiError } from '../../api/client';
import { Button, CheckboxField, SelectField, TextField } from '../../ui';
import { useT } from '../../i18n';

/** A custom field as the editor holds it: enum options as one comma-separated text. */
export interface FieldDraft {
  key: string;
  label: string;
  type: CiField['type'];
  required: boolean;
  options: string;
}

const TYPES: CiField['type'][] = ['text', 'number', 'date', 'boolean', 'enum'];

/** The editor's rows for a class's fields. */
export function fieldDrafts(fields: readonly CiField[]): FieldDraft[] {
  return fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required,
    options: (f.options ?? []).join(', '),
  }));
}

/** The API's fields from the editor's rows (options only for enums). */
export function fieldsOf(drafts: readonly FieldDraft[]): CiField[] {
  return drafts.map((d) => {
    const f: CiField = { key: d.key.trim(), label: d.label.trim(), type: d.type, required: d.required };
    if (d.type === 'enum')
      f.options = d.options
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== '');
    return f;
  });
}

/** The server's messages for `fields.<i>.<prop>` (and for the list as a whole under -1). */
function rowErrors(error: unknown): Map<number, string> {
  const out = new Map<number, string>();
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) {
    const m = /^fields(?:\.(\d+)(?:\.(\w+))?)?/.exec(e.path);
    if (m === null) continue;
    const i = m[1] === undefined ? -1 : Number(m[1]);
    if (!out.has(i)) out.set(i, m[2] === undefined ? e.message : `${m[2]}: ${e.message}`);
  }
  return out;
}

/** Edits a class's custom fields: key, label, type, required, options; add and remove rows. */
export function FieldsEditor({
  fields,
  onChange,
  error,
}: {
  fields: FieldDraft[];
  onChange: (next: FieldDraft[]) => void;
  error: unknown;
}) {
  const t = useT();
  const errors = rowErrors(error);
  const set = (i: number, patch: Partial<FieldDraft>) =>
    onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="fieldset">
      <legend>{t('cmdb.fields.custom')}</legend>
      {errors.has(-1) && <span className="field-error">{errors.get(-1)}</span>}
      {fields.length === 0 && <p className="muted">{t('cmdb.fields.none')}</p>}
      {fields.map((f, i) => (
        <div key={i} className="field-editor" role="group" aria-label={t('cmdb.fields.field', { n: i + 1 })}>
          <div className="form-row">
            <TextField
              label={t('cmdb.classes.key')}
              hint={t('cmdb.fields.keyHint')}
              value={f.key}
              onChange={(e) => set(i, { key: e.target.value })}
            />
            <TextField
              label={t('cmdb.fields.label')}
              value={f.label}
              onChange={(e) => set(i, { label: e.target.value })}
            />
          </div>
          <div className="form-row">
            <SelectField
              label={t('cmdb.fields.type')}
              value={f.type}
              onChange={(e) => set(i, { type: e.target.value as CiField['type'] })}
            >
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`cmdb.fields.type.${type}`)}
                </option>
              ))}
            </SelectField>
            {f.type === 'enum' ? (
              <TextField
                label={t('cmdb.fields.options')}
                hint={t('cmdb.fields.optionsHint')}
                value={f.options}
                onChange={(e) => set(i, { options: e.target.value })}
              />
            ) : (
              <span />
            )}
          </div>
          <div className="button-row">
            <CheckboxField
              label={t('cmdb.fields.required')}
              checked={f.required}
              onChange={(e) => set(i, { required: e.target.checked })}
            />
            <Button size="sm" variant="ghost" onClick={() => onChange(fields.filter((_, j) => j !== i))}>
              {t('cmdb.fields.remove')}
            </Button>
          </div>
          {errors.has(i) && <span className="field-error">{errors.get(i)}</span>}
        </div>
      ))}
      <div>
        <Button
          size="sm"
          onClick={() =>
            onChange([...fields, { key: '', label: '', type: 'text', required: false, options: '' }])
          }
        >
          {t('cmdb.fields.add')}
        </Button>
      </div>
    </fieldset>
  );
}
