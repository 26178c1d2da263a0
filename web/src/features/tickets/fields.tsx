// Custom fields (issue 27): their definitions, a ticket's values, and the inputs that edit them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { FieldValue, TicketField, TicketFieldValues, TicketTemplate } from '@contracts';
import { api, ApiError } from '../../api/client';
import { useT } from '../../i18n';
import { Button, CheckboxField, ErrorAlert, Panel, SelectField, TextField } from '../../ui';

/** Values as edited in a form: text, numbers and dates as typed, checkboxes as booleans. */
export type FieldDraft = Record<string, string | boolean>;

/** The field definitions the caller may see. */
export const useFieldDefs = () =>
  useQuery({
    queryKey: ['ticket-fields'],
    queryFn: ({ signal }) => api.get<{ items: TicketField[] }>('/api/v1/ticket-fields', undefined, signal),
    select: (d) => d.items,
  });

/** The ticket templates (agents). */
export const useTemplates = (enabled = true) =>
  useQuery({
    queryKey: ['ticket-templates'],
    enabled,
    queryFn: ({ signal }) =>
      api.get<{ items: TicketTemplate[] }>('/api/v1/ticket-templates', undefined, signal),
    select: (d) => d.items,
  });

/** Whether a field applies to a ticket of this type and category. */
export function appliesTo(f: TicketField, type: string, categoryId: string | null | undefined): boolean {
  if (!f.types.includes(type as TicketField['types'][number])) return false;
  return f.categoryIds.length === 0 || (!!categoryId && f.categoryIds.includes(categoryId));
}

/** A draft as the API takes it: empty inputs left out (or, with `clear`, cleared with null). */
export function toValues(
  fields: readonly TicketField[],
  draft: FieldDraft,
  clear = false,
): Record<string, FieldValue | null> {
  const out: Record<string, FieldValue | null> = {};
  for (const f of fields) {
    const v = draft[f.key];
    if (v === undefined || v === '') {
      if (clear && f.kind !== 'checkbox') out[f.key] = null;
      continue;
    }
    out[f.key] = f.kind === 'number' && typeof v === 'string' ? Number(v) : v;
  }
  return out;
}

/** Stored values as a draft. */
export function toDraft(values: Record<string, FieldValue | null>): FieldDraft {
  const d: FieldDraft = {};
  for (const [k, v] of Object.entries(values)) {
    if (v !== null) d[k] = typeof v === 'boolean' ? v : String(v);
  }
  return d;
}

/** One input per field, of its kind; `errors` maps `fields.<key>` problems to their inputs. */
export function FieldInputs({
  fields,
  draft,
  onChange,
  errorOf,
}: {
  fields: readonly TicketField[];
  draft: FieldDraft;
  onChange: (d: FieldDraft) => void;
  errorOf?: (key: string) => string | undefined;
}) {
  const t = useT();
  const set = (key: string, v: string | boolean) => onChange({ ...draft, [key]: v });
  return (
    <>
      {fields.map((f) => {
        const label = f.required ? `${f.label} *` : f.label;
        const value = draft[f.key];
        const error = errorOf?.(f.key);
        if (f.kind === 'checkbox') {
          return (
            <CheckboxField
              key={f.key}
              label={label}
              checked={value === true}
              onChange={(e) => set(f.key, e.target.checked)}
            />
          );
        }
        if (f.kind === 'choice') {
          return (
            <SelectField
              key={f.key}
              label={label}
              error={error}
              value={String(value ?? '')}
              onChange={(e) => set(f.key, e.target.value)}
            >
              <option value="">{t('fields.none')}</option>
              {f.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </SelectField>
          );
        }
        return (
          <TextField
            key={f.key}
            label={label}
            error={error}
            type={f.kind === 'number' ? 'number' : f.kind === 'date' ? 'date' : 'text'}
            maxLength={f.kind === 'text' ? 500 : undefined}
            value={String(value ?? '')}
            onChange={(e) => set(f.key, e.target.value)}
          />
        );
      })}
    </>
  );
}

/** The problems of a 400 about custom fields, by field key. */
export function fieldErrors(error: unknown): (key: string) => string | undefined {
  const list = error instanceof ApiError ? error.errors : [];
  return (key) => list.find((e) => e.path.endsWith(`fields.${key}`))?.message;
}

/** A ticket's custom fields: shown, and (agents, open tickets) changed in one save. */
export function TicketFieldsPanel({ ticketId, editable }: { ticketId: string; editable: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const key = ['ticket-field-values', ticketId];
  const values = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<TicketFieldValues>(`/api/v1/tickets/${ticketId}/fields`, undefined, signal),
  });
  const [draft, setDraft] = useState<FieldDraft | null>(null);
  const save = useMutation({
    mutationFn: (fields: Record<string, FieldValue | null>) =>
      api.put<TicketFieldValues>(`/api/v1/tickets/${ticketId}/fields`, { fields }),
    onSuccess: (d) => {
      qc.setQueryData(key, d);
      void qc.invalidateQueries({ queryKey: ['tickets', 'one', ticketId] });
      void qc.invalidateQueries({ queryKey: ['tickets', 'timeline', ticketId] });
      setDraft(null);
    },
  });
  const items = values.data?.items ?? [];
  if (items.length === 0) return null;
  const current = toDraft(Object.fromEntries(items.map((i) => [i.key, i.value])));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(toValues(items, draft ?? current, true));
  };
  return (
    <Panel title={t('fields.title')}>
      <ErrorAlert error={values.error} />
      {editable ? (
        <form className="form" onSubmit={submit} aria-label={t('fields.title')}>
          <FieldInputs
            fields={items}
            draft={draft ?? current}
            onChange={setDraft}
            errorOf={fieldErrors(save.error)}
          />
          <ErrorAlert error={save.error} />
          <Button type="submit" size="sm" busy={save.isPending} disabled={draft === null}>
            {t('fields.save')}
          </Button>
        </form>
      ) : (
        <dl className="facts">
          {items.map((i) => (
            <div key={i.key}>
              <dt>{i.label}</dt>
              <dd>
                {i.value === null
                  ? '—'
                  : i.kind === 'checkbox'
                    ? i.value
                      ? t('fields.yes')
                      : t('fields.no')
                    : String(i.value)}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Panel>
  );
}

/** A queue filter on one custom field: `field.<key>=value`. */
export interface FieldQuery {
  key: string;
  value: string;
}

/** Picks a custom field and the value the queue's tickets must have in it. */
export function QueueFieldFilter({
  value,
  onChange,
}: {
  value: FieldQuery;
  onChange: (v: FieldQuery) => void;
}) {
  const t = useT();
  const defs = useFieldDefs().data ?? [];
  if (defs.length === 0) return null;
  const field = defs.find((f) => f.key === value.key);
  return (
    <div className="form-row">
      <SelectField
        label={t('fields.filterBy')}
        value={value.key}
        onChange={(e) => onChange({ key: e.target.value, value: '' })}
      >
        <option value="">{t('fields.anyField')}</option>
        {defs.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
      </SelectField>
      {field &&
        (field.kind === 'choice' || field.kind === 'checkbox' ? (
          <SelectField
            label={t('fields.filterValue')}
            value={value.value}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          >
            <option value="">{t('fields.none')}</option>
            {(field.kind === 'choice' ? field.options : ['true', 'false']).map((o) => (
              <option key={o} value={o}>
                {field.kind === 'checkbox' ? (o === 'true' ? t('fields.yes') : t('fields.no')) : o}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label={t('fields.filterValue')}
            type={field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text'}
            value={value.value}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          />
        ))}
    </div>
  );
}
