import { useState, type FormEvent } from 'react';
import type { FieldKind, TicketField, TicketType } from '@contracts';
import { useT } from '../../i18n';
import {
  CheckboxField,
  ConfirmButton,
  Empty,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { useFieldAdmin } from './api';

const KINDS: FieldKind[] = ['text', 'number', 'date', 'choice', 'checkbox'];
const TYPES: TicketType[] = ['incident', 'request', 'problem'];

/** Adds a field: key, label, kind (with options for a choice), the ticket types it applies to, and flags. */
function FieldForm({ admin }: { admin: ReturnType<typeof useFieldAdmin> }) {
  const t = useT();
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<FieldKind>('text');
  const [options, setOptions] = useState('');
  const [types, setTypes] = useState<TicketType[]>(['incident', 'request']);
  const [required, setRequired] = useState(false);
  const [requesterVisible, setRequesterVisible] = useState(false);
  const { bind, summary } = useFieldErrors(admin.create.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    admin.create.mutate(
      {
        key: key.trim(),
        label,
        kind,
        options:
          kind === 'choice'
            ? options
                .split(',')
                .map((o) => o.trim())
                .filter(Boolean)
            : [],
        types,
        required,
        requesterVisible,
        categoryIds: [],
        position: 0,
      },
      { onSuccess: () => (setKey(''), setLabel(''), setOptions('')) },
    );
  };
  return (
    <form className="form" onSubmit={send} noValidate aria-label={t('fieldsAdmin.add')}>
      <FormError error={summary} title={t('users.notSaved')} />
      <div className="form-row">
        <TextField
          label={t('fieldsAdmin.key')}
          hint={t('fieldsAdmin.keyHint')}
          maxLength={40}
          {...bind('key', key, setKey)}
        />
        <TextField label={t('fieldsAdmin.label')} maxLength={100} {...bind('label', label, setLabel)} />
        <SelectField
          label={t('fieldsAdmin.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as FieldKind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`fieldsAdmin.kind.${k}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {kind === 'choice' && (
        <TextField
          label={t('fieldsAdmin.options')}
          hint={t('fieldsAdmin.optionsHint')}
          {...bind('options', options, setOptions)}
        />
      )}
      <fieldset className="checks">
        <legend className="field-label">{t('fieldsAdmin.types')}</legend>
        {TYPES.map((ty) => (
          <CheckboxField
            key={ty}
            label={t(`ticket.type.${ty}`)}
            checked={types.includes(ty)}
            onChange={(e) => setTypes((l) => (e.target.checked ? [...l, ty] : l.filter((x) => x !== ty)))}
          />
        ))}
      </fieldset>
      <CheckboxField
        label={t('fieldsAdmin.required')}
        checked={required}
        onChange={(e) => setRequired(e.target.checked)}
      />
      <CheckboxField
        label={t('fieldsAdmin.requesterVisible')}
        checked={requesterVisible}
        onChange={(e) => setRequesterVisible(e.target.checked)}
      />
      <FormActions submit={t('fieldsAdmin.add')} busy={admin.create.isPending} />
    </form>
  );
}

function describe(f: TicketField, t: ReturnType<typeof useT>): string {
  const parts = [t(`fieldsAdmin.kind.${f.kind}`), f.types.map((ty) => t(`ticket.type.${ty}`)).join(', ')];
  if (f.kind === 'choice') parts.push(f.options.join(' / '));
  if (f.required) parts.push(t('fieldsAdmin.required'));
  if (f.requesterVisible) parts.push(t('fieldsAdmin.onPortal'));
  return parts.join(' · ');
}

/** Settings → Custom fields: what agents (and, where asked, requesters) fill in on tickets. */
export function FieldsSection() {
  const t = useT();
  const admin = useFieldAdmin();
  const list = admin.list.data ?? [];
  return (
    <>
      <PageHeader title={t('settings.section.fields')} description={t('settings.section.fields.about')} />
      <Panel title={t('fieldsAdmin.list')}>
        <ErrorAlert error={admin.list.error ?? admin.remove.error} />
        {admin.list.isPending ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty>{t('fieldsAdmin.none')}</Empty>
        ) : (
          <ul className="rule-list" aria-label={t('fieldsAdmin.list')}>
            {list.map((f) => (
              <li key={f.id}>
                <div className="rule-summary">
                  <strong>{f.label}</strong> <code>{f.key}</code>
                  <p className="muted">{describe(f, t)}</p>
                </div>
                <ConfirmButton
                  confirmLabel={t('settings.confirmDelete')}
                  onConfirm={() => admin.remove.mutate(f)}
                >
                  {t('common.delete')}
                </ConfirmButton>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t('fieldsAdmin.add')}>
        <FieldForm admin={admin} />
      </Panel>
    </>
  );
}
