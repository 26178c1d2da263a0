import type { ChangeEvent, ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Button } from './Button';
import { ButtonLink } from './Button';
import { Alert, ErrorAlert } from './Feedback';

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

/**
 * The error summary at the top of a form: "correct the fields marked below" when the server named fields
 * (their messages sit beside them), else the whole message.
 */
export function FormError({ error, title }: { error: unknown; title: string }) {
  if (error === null || error === undefined) return null;
  if (Object.keys(fieldErrorsOf(error)).length > 0) {
    return (
      <Alert tone="error" title={title}>
        Correct the fields marked below.
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
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={busy} disabled={disabled}>
        {submit}
      </Button>
      {children}
      {cancelTo !== undefined && (
        <ButtonLink to={cancelTo} variant="ghost">
          Cancel
        </ButtonLink>
      )}
    </div>
  );
}

/** A warning that an edit was refused because someone else saved a newer version (HTTP 412), with Reload. */
export function StaleAlert({ what, onReload }: { what: string; onReload: () => void }) {
  return (
    <Alert tone="warning" title={`Someone else changed this ${what} meanwhile`}>
      <p>Your changes were not saved. Reload to see the current version, then apply them again.</p>
      <p className="alert-actions">
        <Button size="sm" onClick={onReload}>
          Reload
        </Button>
      </p>
    </Alert>
  );
}
