import { useState, type FormEvent, type ReactNode } from 'react';
import type { BackupTarget, TargetCredentials, TargetKind } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Button,
  CheckboxField,
  FormActions,
  FormError,
  SelectField,
  StaleAlert,
  TextAreaField,
  TextField,
} from '../../ui';
import { useT } from '../../i18n';
import { useCreateTarget, useUpdateTarget } from './api';
import {
  KINDS,
  KIND_ORDER,
  createTargetBody,
  messageAt,
  secretLabel,
  targetDraft,
  updateTargetBody,
  type TargetDraft,
} from './drafts';

const REQUIRED: Partial<Record<keyof TargetCredentials, true>> = {
  accessKeyId: true,
  secretAccessKey: true,
  privateKey: true,
  hostKey: true,
};
const HINT = {
  region: 'backup.secretHint.region',
  privateKey: 'backup.secretHint.privateKey',
  hostKey: 'backup.secretHint.hostKey',
  username: 'backup.secretHint.username',
} as const;
const hintKey = (name: keyof TargetCredentials) =>
  name in HINT ? HINT[name as keyof typeof HINT] : undefined;
const HIDDEN: Partial<Record<keyof TargetCredentials, true>> = {
  secretAccessKey: true,
  passphrase: true,
  password: true,
};

/** One credential field: typed once, never shown back (the stored value stays on the server). */
function SecretField({
  name,
  value,
  onChange,
  error,
}: {
  name: keyof TargetCredentials;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
}) {
  const t = useT();
  const label = REQUIRED[name] ? t('backup.required', { label: secretLabel(t, name) }) : secretLabel(t, name);
  const key = hintKey(name);
  const hint = key === undefined ? undefined : t(key);
  if (name === 'privateKey')
    return (
      <TextAreaField
        label={label}
        hint={hint}
        rows={5}
        spellCheck={false}
        autoComplete="off"
        className="secret-textarea"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
      />
    );
  return (
    <TextField
      label={label}
      hint={hint}
      type={HIDDEN[name] ? 'password' : 'text'}
      autoComplete={HIDDEN[name] ? 'new-password' : 'off'}
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}

/** The fields of a target draft: name, kind, address, and the kind's credentials when they are typed. */
function TargetFields({
  draft,
  set,
  error,
  stored,
}: {
  draft: TargetDraft;
  set: (d: TargetDraft) => void;
  error: unknown;
  stored?: BackupTarget;
}) {
  const t = useT();
  const kind = KINDS[draft.kind];
  const kindChanged = stored !== undefined && stored.kind !== draft.kind;
  const typing = stored === undefined || draft.replaceSecrets || kindChanged;
  let secrets: ReactNode = null;
  if (kind.secrets.length > 0 && typing)
    secrets = kind.secrets.map((name) => (
      <SecretField
        key={name}
        name={name}
        value={draft.secrets[name] ?? ''}
        onChange={(v) => set({ ...draft, secrets: { ...draft.secrets, [name]: v } })}
        error={messageAt(error, `credentials.${name}`)}
      />
    ));
  return (
    <>
      <TextField
        label={t('common.name')}
        hint={t('backup.target.nameHint')}
        maxLength={120}
        value={draft.name}
        onChange={(e) => set({ ...draft, name: e.target.value })}
        error={messageAt(error, 'name')}
      />
      <SelectField
        label={t('backup.target.kind')}
        value={draft.kind}
        onChange={(e) => set({ ...draft, kind: e.target.value as TargetKind, secrets: {} })}
      >
        {KIND_ORDER.map((k) => (
          <option key={k} value={k}>
            {t(`backup.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t(`backup.kind.${draft.kind}.address`)}
        hint={t('backup.target.addressHint', { example: kind.example })}
        spellCheck={false}
        value={draft.address}
        onChange={(e) => set({ ...draft, address: e.target.value })}
        error={messageAt(error, 'location')}
      />
      {stored !== undefined && stored.credentialsSet.length > 0 && !kindChanged && (
        <CheckboxField
          label={t('backup.target.replace')}
          hint={t('backup.target.stored', {
            list: stored.credentialsSet.map((k) => secretLabel(t, k)).join(', '),
          })}
          checked={draft.replaceSecrets}
          onChange={(e) => set({ ...draft, replaceSecrets: e.target.checked, secrets: {} })}
        />
      )}
      {stored !== undefined &&
        stored.credentialsSet.length === 0 &&
        kind.secrets.length > 0 &&
        !kindChanged && (
          <CheckboxField
            label={t('backup.target.addCredentials')}
            checked={draft.replaceSecrets}
            onChange={(e) => set({ ...draft, replaceSecrets: e.target.checked, secrets: {} })}
          />
        )}
      {secrets}
    </>
  );
}

/** Registering a storage target. */
export function NewTargetForm({
  onDone,
  onCancel,
}: {
  onDone: (t: BackupTarget) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const create = useCreateTarget();
  const [draft, setDraft] = useState(() => targetDraft());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(createTargetBody(draft), { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('backup.target.new')}>
      <FormError error={create.error} title={t('backup.target.notCreated')} />
      <TargetFields draft={draft} set={setDraft} error={create.error} />
      <FormActions submit={t('backup.target.create')} busy={create.isPending}>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}

/** Changing a target at the version it was read; credentials stay unless replaced. */
export function EditTargetForm({
  target,
  onDone,
  onCancel,
  onReload,
}: {
  target: BackupTarget;
  onDone: (t: BackupTarget) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const t = useT();
  const update = useUpdateTarget(target.id);
  const [draft, setDraft] = useState(() => targetDraft(target));
  const stale = isApiError(update.error, 'stale');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = updateTargetBody(target, {
      ...draft,
      replaceSecrets: draft.replaceSecrets || draft.kind !== target.kind,
    });
    if (Object.keys(body).length === 0) return onCancel();
    update.mutate({ patch: body, version: target.version }, { onSuccess: (r) => onDone(r.data) });
  };
  return (
    <form
      className="form"
      onSubmit={submit}
      noValidate
      aria-label={t('backup.editName', { name: target.name })}
    >
      {stale ? (
        <StaleAlert
          what={t('backup.target.what')}
          onReload={() => {
            update.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={update.error} title={t('backup.notSaved')} />
      )}
      <TargetFields draft={draft} set={setDraft} error={update.error} stored={target} />
      <FormActions submit={t('backup.target.save')} busy={update.isPending}>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}
