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
import { useCreateTarget, useUpdateTarget } from './api';
import {
  KINDS,
  KIND_ORDER,
  SECRET_LABEL,
  createTargetBody,
  messageAt,
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
const HINT: Partial<Record<keyof TargetCredentials, string>> = {
  region: 'Only if the storage asks for one (us-east-1, eu-west-3…)',
  privateKey: 'The OpenSSH or PEM private key Steward signs in with',
  hostKey: 'As `ssh-keygen -lf` prints it: SHA256:…; the server is checked against it',
  username: 'Only if the REST server asks for one (give the password too)',
};
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
  const label = `${SECRET_LABEL[name]}${REQUIRED[name] ? ' (required)' : ''}`;
  if (name === 'privateKey')
    return (
      <TextAreaField
        label={label}
        hint={HINT[name]}
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
      hint={HINT[name]}
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
        label="Name"
        hint="How people will know it, e.g. “Office NAS”"
        maxLength={120}
        value={draft.name}
        onChange={(e) => set({ ...draft, name: e.target.value })}
        error={messageAt(error, 'name')}
      />
      <SelectField
        label="Kind"
        value={draft.kind}
        onChange={(e) => set({ ...draft, kind: e.target.value as TargetKind, secrets: {} })}
      >
        {KIND_ORDER.map((k) => (
          <option key={k} value={k}>
            {KINDS[k].label}
          </option>
        ))}
      </SelectField>
      <TextField
        label={kind.address}
        hint={`For example ${kind.example}. Each computer gets a folder of its own below it.`}
        spellCheck={false}
        value={draft.address}
        onChange={(e) => set({ ...draft, address: e.target.value })}
        error={messageAt(error, 'location')}
      />
      {stored !== undefined && stored.credentialsSet.length > 0 && !kindChanged && (
        <CheckboxField
          label="Replace the stored credentials"
          hint={`Stored: ${stored.credentialsSet
            .map((k) => SECRET_LABEL[k as keyof TargetCredentials] ?? k)
            .join(', ')}. They are never shown.`}
          checked={draft.replaceSecrets}
          onChange={(e) => set({ ...draft, replaceSecrets: e.target.checked, secrets: {} })}
        />
      )}
      {stored !== undefined &&
        stored.credentialsSet.length === 0 &&
        kind.secrets.length > 0 &&
        !kindChanged && (
          <CheckboxField
            label="Add credentials"
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
  const create = useCreateTarget();
  const [draft, setDraft] = useState(() => targetDraft());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(createTargetBody(draft), { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New storage target">
      <FormError error={create.error} title="The target was not created" />
      <TargetFields draft={draft} set={setDraft} error={create.error} />
      <FormActions submit="Create target" busy={create.isPending}>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
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
    <form className="form" onSubmit={submit} noValidate aria-label={`Edit ${target.name}`}>
      {stale ? (
        <StaleAlert
          what="target"
          onReload={() => {
            update.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={update.error} title="Not saved" />
      )}
      <TargetFields draft={draft} set={setDraft} error={update.error} stored={target} />
      <FormActions submit="Save target" busy={update.isPending}>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}
