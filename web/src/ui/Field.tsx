import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useT } from '../i18n/useT';

/** What every labelled field shows around its control. */
export interface FieldFrame {
  label: ReactNode;
  /** Help text under the control. */
  hint?: ReactNode;
  /** A validation message; marks the control invalid and is announced with it. */
  error?: string | undefined;
  className?: string;
}

/** Label, control, hint and error, wired together with ids for assistive technology. */
export function Frame({
  id,
  label,
  hint,
  error,
  className,
  children,
}: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={['field', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A field's hint and error under its control, with the ids {@link described} points at. */
export function FieldNotes({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  return (
    <>
      {hint !== undefined && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error !== undefined && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

/** The `aria-describedby` of a control with the given hint and error (their ids derive from `id`). */
export function described(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint !== undefined ? `${id}-hint` : '', error !== undefined ? `${id}-error` : ''].filter(
    Boolean,
  );
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** A labelled text input. */
export function TextField({
  label,
  hint,
  error,
  className,
  ...input
}: FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'>) {
  const auto = useId();
  const id = input.id ?? auto;
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <input
        {...input}
        id={id}
        className="input"
        aria-invalid={error !== undefined || undefined}
        aria-describedby={described(id, hint, error)}
      />
    </Frame>
  );
}

/** A labelled multi-line text input. */
export function TextAreaField({
  label,
  hint,
  error,
  className,
  ...input
}: FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className'>) {
  const auto = useId();
  const id = input.id ?? auto;
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea
        {...input}
        id={id}
        className="textarea"
        aria-invalid={error !== undefined || undefined}
        aria-describedby={described(id, hint, error)}
      />
    </Frame>
  );
}

/** A labelled select. */
export function SelectField({
  label,
  hint,
  error,
  className,
  children,
  ...select
}: FieldFrame & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className'>) {
  const auto = useId();
  const id = select.id ?? auto;
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <select
        {...select}
        id={id}
        className="select"
        aria-invalid={error !== undefined || undefined}
        aria-describedby={described(id, hint, error)}
      >
        {children}
      </select>
    </Frame>
  );
}

/** A checkbox with its label on the right. */
export function CheckboxField({
  label,
  hint,
  ...input
}: { label: ReactNode; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const auto = useId();
  const id = input.id ?? auto;
  return (
    <label className="check" htmlFor={id}>
      <input
        {...input}
        id={id}
        type="checkbox"
        aria-describedby={hint !== undefined ? `${id}-hint` : undefined}
      />
      <span>
        {label}
        {hint !== undefined && (
          <span className="field-hint" id={`${id}-hint`}>
            {' '}
            {hint}
          </span>
        )}
      </span>
    </label>
  );
}

/** A search box for a list's toolbar (label "Search", grows to fill the row). */
export function SearchField({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
}) {
  const t = useT();
  return (
    <TextField
      className="grow"
      label={t('common.search')}
      type="search"
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** `<option>`s for a list of records: `value` and `label` pick what each shows. */
export function Options<T>({
  items,
  value,
  label,
}: {
  items: readonly T[] | undefined;
  value: (item: T) => string;
  label: (item: T) => string;
}) {
  return (items ?? []).map((item) => (
    <option key={value(item)} value={value(item)}>
      {label(item)}
    </option>
  ));
}
