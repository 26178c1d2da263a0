import type { CiField } from '@contracts';
import { ApiError } from '../../api/client';
import { Button, CheckboxField, SelectField, TextField } from '../../ui';

/** A custom field as the editor holds it: enum options as one comma-separated text. */
export interface FieldDraft {
  key: string;
  label: string;
  type: CiField['type'];
  required: boolean;
  options: string;
}

const TYPES: { value: CiField['type']; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'enum', label: 'One of a list' },
];

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
  const errors = rowErrors(error);
  const set = (i: number, patch: Partial<FieldDraft>) =>
    onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="fieldset">
      <legend>Custom fields</legend>
      {errors.has(-1) && <span className="field-error">{errors.get(-1)}</span>}
      {fields.length === 0 && <p className="muted">No custom fields.</p>}
      {fields.map((f, i) => (
        <div key={i} className="field-editor" role="group" aria-label={`Field ${i + 1}`}>
          <div className="form-row">
            <TextField
              label="Key"
              hint="a–z, 0–9, _"
              value={f.key}
              onChange={(e) => set(i, { key: e.target.value })}
            />
            <TextField label="Label" value={f.label} onChange={(e) => set(i, { label: e.target.value })} />
          </div>
          <div className="form-row">
            <SelectField
              label="Type"
              value={f.type}
              onChange={(e) => set(i, { type: e.target.value as CiField['type'] })}
            >
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </SelectField>
            {f.type === 'enum' ? (
              <TextField
                label="Options"
                hint="comma-separated"
                value={f.options}
                onChange={(e) => set(i, { options: e.target.value })}
              />
            ) : (
              <span />
            )}
          </div>
          <div className="button-row">
            <CheckboxField
              label="Required"
              checked={f.required}
              onChange={(e) => set(i, { required: e.target.checked })}
            />
            <Button size="sm" variant="ghost" onClick={() => onChange(fields.filter((_, j) => j !== i))}>
              Remove field
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
          Add field
        </Button>
      </div>
    </fieldset>
  );
}
