import type { FormEvent, ReactNode } from 'react';
import { type CiClass, type CiField, defaultCiStatus } from '@contracts';
import { ApiError } from '../../api/client';
import { CheckboxField, FormError, Options, SelectField, TextAreaField, TextField, binder } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { useLocations } from './api';
import type { CustomDraft, ItemDraft } from './draft';
import { useT } from '../../i18n';
import { STATUSES, statusLabel } from './labels';

/** The server's messages for custom fields (paths `custom.<key>`), by key. */
function customErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) {
    const m = /^custom\.(.+)$/.exec(e.path);
    if (m?.[1] !== undefined && out[m[1]] === undefined)
      out[m[1]] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }
  return out;
}

/** One custom field, rendered by its type. */
function CustomInput({
  field,
  value,
  error,
  onChange,
}: {
  field: CiField;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (v: string | boolean) => void;
}) {
  const t = useT();
  const label = field.required ? t('cmdb.form.required', { label: field.label }) : field.label;
  const text = typeof value === 'string' ? value : '';
  switch (field.type) {
    case 'boolean':
      return (
        <div>
          <CheckboxField
            label={field.label}
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />
          {error !== undefined && <span className="field-error">{error}</span>}
        </div>
      );
    case 'enum':
      return (
        <SelectField label={label} value={text} error={error} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </SelectField>
      );
    case 'number':
      return (
        <TextField
          label={label}
          inputMode="decimal"
          value={text}
          error={error}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'date':
      return (
        <TextField
          label={label}
          type="date"
          value={text}
          error={error}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'text':
      return (
        <TextField label={label} value={text} error={error} onChange={(e) => onChange(e.target.value)} />
      );
  }
}

/** The class's custom fields, each by its type, with the server's messages beside them. */
export function CustomFields({
  cls,
  values,
  error,
  onChange,
}: {
  cls: CiClass | undefined;
  values: CustomDraft;
  error: unknown;
  onChange: (next: CustomDraft) => void;
}) {
  const t = useT();
  if (cls === undefined || cls.fields.length === 0) return null;
  const errors = customErrors(error);
  return (
    <fieldset className="fieldset">
      <legend>{t('cmdb.form.classFields', { name: cls.name })}</legend>
      {cls.fields.map((f) => (
        <CustomInput
          key={f.key}
          field={f}
          value={values[f.key]}
          error={errors[f.key]}
          onChange={(v) => onChange({ ...values, [f.key]: v })}
        />
      ))}
    </fieldset>
  );
}

/**
 * The draft with another class: the custom values go, and a status still at the old class's default follows
 * the new class (a business service starts "deployed", a laptop "in stock").
 */
function withClass(draft: ItemDraft, classKey: string, classes: readonly CiClass[]): ItemDraft {
  const kindOf = (key: string) => classes.find((c) => c.key === key)?.kind;
  const untouched = draft.status === defaultCiStatus(kindOf(draft.classKey));
  return {
    ...draft,
    classKey,
    custom: {},
    ...(untouched ? { status: defaultCiStatus(kindOf(classKey)) } : {}),
  };
}

/**
 * The item form: class (when creating), the standard fields, lifecycle status, and the class's custom
 * fields. The server's per-field messages show beside their controls.
 */
export function ItemForm({
  draft,
  onChange,
  classes,
  error,
  label,
  pickClass,
  onSubmit,
  actions,
}: {
  draft: ItemDraft;
  onChange: (next: ItemDraft) => void;
  classes: readonly CiClass[];
  error: unknown;
  label: string;
  /** Show the class picker (a new item; the class is fixed afterwards). */
  pickClass: boolean;
  onSubmit: () => void;
  actions: ReactNode;
}) {
  const t = useT();
  const users = useUserOptions();
  const teams = useAllTeams();
  const locations = useLocations();
  const bind = binder(error);
  const set =
    <K extends keyof ItemDraft>(key: K) =>
    (value: ItemDraft[K]) =>
      onChange({ ...draft, [key]: value });
  const cls = classes.find((c) => c.key === draft.classKey);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="form form-wide" onSubmit={submit} noValidate aria-label={label}>
      <FormError error={error} title={t('cmdb.notSaved')} />
      {pickClass && (
        <SelectField
          label={t('cmdb.class')}
          {...bind('classKey', draft.classKey, (v) => onChange(withClass(draft, v, classes)))}
        >
          <option value="">{t('cmdb.form.chooseClass')}</option>
          <Options items={classes} value={(c) => c.key} label={(c) => c.name} />
        </SelectField>
      )}
      <div className="form-row">
        <TextField
          label={t('common.name')}
          required
          maxLength={200}
          {...bind('name', draft.name, set('name'))}
        />
        <TextField
          label={t('cmdb.assetTag')}
          maxLength={64}
          {...bind('assetTag', draft.assetTag, set('assetTag'))}
        />
      </div>
      <div className="form-row">
        <SelectField label={t('cmdb.form.status')} {...bind('status', draft.status, set('status'))}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(t, s)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('cmdb.serialNumber')}
          maxLength={128}
          {...bind('serial', draft.serial, set('serial'))}
        />
      </div>
      <div className="form-row">
        <TextField
          label={t('cmdb.manufacturer')}
          maxLength={200}
          {...bind('manufacturer', draft.manufacturer, set('manufacturer'))}
        />
        <TextField label={t('cmdb.model')} maxLength={200} {...bind('model', draft.model, set('model'))} />
      </div>
      <div className="form-row">
        <SelectField label={t('cmdb.owner')} {...bind('ownerId', draft.ownerId, set('ownerId'))}>
          <option value="">{t('cmdb.form.nobody')}</option>
          <Options items={users.data} value={(u) => u.id} label={(u) => u.name} />
        </SelectField>
        <SelectField label={t('cmdb.team')} {...bind('teamId', draft.teamId, set('teamId'))}>
          <option value="">{t('cmdb.form.noTeam')}</option>
          <Options items={teams.data} value={(team) => team.id} label={(team) => team.name} />
        </SelectField>
      </div>
      <SelectField label={t('cmdb.location')} {...bind('locationId', draft.locationId, set('locationId'))}>
        <option value="">{t('cmdb.form.noLocation')}</option>
        <Options items={locations.data} value={(l) => l.id} label={(l) => l.name} />
      </SelectField>
      <div className="form-row">
        <TextField
          label={t('cmdb.purchaseDate')}
          type="date"
          {...bind('purchaseDate', draft.purchaseDate, set('purchaseDate'))}
        />
        <TextField
          label={t('cmdb.cost')}
          inputMode="decimal"
          hint={t('cmdb.form.costHint')}
          {...bind('cost', draft.cost, set('cost'))}
        />
      </div>
      <TextField
        label={t('cmdb.warrantyEnd')}
        type="date"
        {...bind('warrantyEnd', draft.warrantyEnd, set('warrantyEnd'))}
      />
      <CustomFields cls={cls} values={draft.custom} error={error} onChange={set('custom')} />
      <TextAreaField label={t('cmdb.notes')} rows={4} {...bind('notes', draft.notes, set('notes'))} />
      {actions}
    </form>
  );
}
