import { useState } from 'react';
import { isApiError } from '../../api/client';
import { StaleAlert, fieldErrorsOf } from '../../ui';
import type { Resource } from './api';
import type { Translate } from '../../i18n';

/**
 * What the editor of `item` (undefined: a new one) of a list resource needs: its busy flag and error (a
 * stale save shows as the Reload warning instead), Cancel, and a submit that creates or updates (If-Match)
 * and says so by name (in the language of `t`).
 */
export function editorOf<T extends { id: string; version: number }, C, U>(
  r: Resource<T, C, U>,
  item: T | undefined,
  what: string,
  close: () => void,
  done: (notice: string) => void,
  t: Translate,
) {
  const m = item ? r.update : r.create;
  return {
    stale: isApiError(m.error, 'stale') ? (
      <StaleAlert
        what={what}
        onReload={() => {
          r.update.reset();
          close();
        }}
      />
    ) : null,
    busy: m.isPending,
    error: isApiError(m.error, 'stale') ? null : m.error,
    onCancel: close,
    onSubmit: (body: C & U & { name: string }) =>
      item
        ? r.update.mutate(
            { item, patch: body },
            { onSuccess: () => done(t('settings.wasSaved', { name: body.name })) },
          )
        : r.create.mutate(body, { onSuccess: () => done(t('settings.wasAdded', { name: body.name })) }),
  };
}

/**
 * Field messages of a form that checks some fields itself before sending: its own (`setLocal`) first, then
 * the server's; `summary` is the server's error for the form's summary while no own message is shown.
 */
export function useFormErrors(error: unknown) {
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(error);
  return {
    err: (name: string): string | undefined => local[name] ?? server[name],
    setLocal,
    summary: Object.keys(local).length > 0 ? null : error,
  };
}
