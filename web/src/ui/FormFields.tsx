import { useState, type ChangeEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Button } from './Button';
import { ButtonLink } from './Button';
import { Alert, ErrorAlert } from './Feedback';
import { useT } from '../i18n/useT';

/** The server's per-field messages of a failed request, keyed by field name (empty for other errors). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors() : {};
}

/** Props that wire a text control to a piece of state and to the server's message for its field. */
export interface BoundField {
  name: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => void;
  error: string | undefined;
}

/**
 * Returns `bind(name, value, set)`, which spreads onto a TextField, TextAreaField or SelectField: the value,
 * its setter, and the server's message for `name` from `error`.
 */
export function binder(
  error: unknown,
): <V extends string>(name: string, value: V, set: (v: V) => void) => BoundField {
  const errors = fieldErrorsOf(error);
  return (name, value, set) => ({
    name,
    value,
    onChange: (e) => set(e.target.value as typeof value),
    error: errors[name],
  });
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Like {@link binder}, but a field's message goes away as soon as the person changes that field (they are
 * fixing it); the next failed submit shows whatever is still wrong. `errors` holds the messages still shown,
 * `touch(name)` clears one for controls not wired through `bind`, and `summary` is the error for the form's
 * summary (null once every field it named was changed).
 */
export function useFieldErrors(error: unknown) {
  const [edited, setEdited] = useState<{ of: unknown; names: ReadonlySet<string> }>({
    of: undefined,
    names: NONE,
  });
  const names = edited.of === error ? edited.names : NONE;
  const all = fieldErrorsOf(error);
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (!names.has(k)) errors[k] = v;
  const touch = (name: string) => {
    if (!names.has(name) && all[name] !== undefined)
      setEdited({ of: error, names: new Set([...names, name]) });
  };
  const bind = <V extends string>(name: string, value: V, set: (v: V) => void): BoundField => ({
    name,
    value,
    onChange: (e) => {
      set(e.target.value as V);
      touch(name);
    },
    error: errors[name],
  });
  const cleared = Object.keys(all).length > 0 && Object.keys(errors).length === 0;
  return { bind, errors, touch, summary: cleared ? null : error };
}

/**
 * The error summary at the top of a form: "correct the fields marked below" when the server named fields
 * (their messages sit beside them), else the whole message.
 */
export function FormError({ error, title }: { error: unknown; title: string }) {
  const t = useT();
  if (error === null || error === undefined) return null;
  if (Object.keys(fieldErrorsOf(error)).length > 0) {
    return (
      <Alert tone="error" title={title}>
        {t('common.fixFields')}
      </Alert>
    );
  }
  return <ErrorAlert error={error} title={title} />;
}

/** The submit button of a form, with an optional "Cancel" link and more buttons. */
export function FormActions({
  submit,
  busy,
  disabled,
  cancelTo,
  children,
}: {
  submit: string;
  busy: boolean;
  disabled?: boolean;
  cancelTo?: string;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={busy} disabled={disabled}>
        {submit}
      </Button>
      {children}
      {cancelTo !== undefined && (
        <ButtonLink to={cancelTo} variant="ghost">
          {t('common.cancel')}
        </ButtonLink>
      )}
    </div>
  );
}

/** A warning that an edit was refused because someone else saved a newer version (HTTP 412), with Reload. */
export function StaleAlert({ what, onReload }: { what: string; onReload: () => void }) {
  const t = useT();
  return (
    <Alert tone="warning" title={t('common.staleTitle', { what })}>
      <p>{t('common.staleBody')}</p>
      <p className="alert-actions">
        <Button size="sm" onClick={onReload}>
          {t('common.reload')}
        </Button>
      </p>
    </Alert>
  );
}
