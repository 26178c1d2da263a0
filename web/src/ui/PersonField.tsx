import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Person } from '@contracts';
import { api } from '../api/client';
import { useT } from '../i18n/useT';
import { Button } from './Button';
import { ErrorAlert } from './Feedback';
import { described, FieldNotes } from './Field';
import { useDebounced } from './hooks';

/** Colleagues matching what was typed (two characters or more), from the staff directory. */
function usePeople(q: string) {
  return useQuery({
    queryKey: ['people', q],
    enabled: q.length >= 2,
    queryFn: ({ signal }) => api.get<{ items: Person[] }>('/api/v1/people', { q, limit: 8 }, signal),
    select: (d) => d.items,
  });
}

/**
 * One person, picked by name from the staff directory (anyone signed in may search it): the chosen person
 * shown by name with a way to change them, or a search box with the matches to choose from. `onChange` gets
 * the person's id (undefined when cleared).
 */
export function PersonField({
  label,
  hint,
  error,
  required,
  onChange,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  onChange: (id: string | undefined) => void;
}) {
  const t = useT();
  const id = useId();
  const [chosen, setChosen] = useState<Person | undefined>();
  const [q, setQ] = useState('');
  const term = useDebounced(q.trim());
  const people = usePeople(term);
  const pick = (p: Person | undefined) => {
    setChosen(p);
    setQ('');
    onChange(p?.id);
  };
  return (
    <fieldset className="field">
      <legend className="field-label">
        {label}
        {required ? ' *' : ''}
      </legend>
      {chosen ? (
        <div className="chips">
          <span className="chip">
            <span title={chosen.email}>{chosen.name}</span>
            <button
              type="button"
              aria-label={t('people.change', { name: chosen.name })}
              onClick={() => pick(undefined)}
            >
              ×
            </button>
          </span>
        </div>
      ) : (
        <>
          <label className="visually-hidden" htmlFor={id}>
            {t('people.find', { label })}
          </label>
          <input
            id={id}
            className="input"
            type="search"
            placeholder={t('people.placeholder')}
            value={q}
            aria-invalid={error !== undefined || undefined}
            aria-describedby={described(id, hint, error)}
            onChange={(e) => setQ(e.target.value)}
          />
          <ErrorAlert error={people.error} />
          {term.length >= 2 && people.isSuccess && people.data.length === 0 && (
            <span className="field-hint">{t('people.none', { term })}</span>
          )}
          {people.data && people.data.length > 0 && term.length >= 2 && (
            <ul className="pick-list" aria-label={t('people.matches', { label })}>
              {people.data.map((p) => (
                <li key={p.id}>
                  <span>
                    {p.name} <span className="muted">{p.email}</span>
                  </span>
                  <Button size="sm" onClick={() => pick(p)}>
                    {t('people.choose')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <FieldNotes id={id} hint={hint} error={error} />
    </fieldset>
  );
}
