import { useId, useState } from 'react';
import type { User } from '@contracts';
import { Button, ErrorAlert, useDebounced } from '../../ui';
import { useUserSearch } from '../users/api';
import { useT } from '../../i18n';

/** A member as the picker shows it. */
export type Member = Pick<User, 'id' | 'name' | 'email'>;

/** Team members: the chosen ones as removable chips, and a search to add more. */
export function MemberPicker({
  value,
  onChange,
  error,
}: {
  value: readonly Member[];
  onChange: (members: Member[]) => void;
  error?: string | undefined;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const term = useDebounced(q.trim());
  const search = useUserSearch(term, 8);
  const id = useId();
  const chosen = new Set(value.map((m) => m.id));
  const candidates = term === '' ? [] : (search.data?.items ?? []).filter((u) => !chosen.has(u.id));

  return (
    <fieldset className="field">
      <legend className="field-label">{t('teams.members')}</legend>
      {value.length === 0 ? (
        <span className="field-hint">{t('teams.noMembers')}</span>
      ) : (
        <ul
          className="chips"
          aria-label={t('teams.currentMembers')}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
        >
          {value.map((m) => (
            <li key={m.id} className="chip">
              <span title={m.email}>{m.name}</span>
              <button
                type="button"
                aria-label={t('teams.remove', { name: m.name })}
                onClick={() => onChange(value.filter((x) => x.id !== m.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field-label visually-hidden" htmlFor={id}>
        {t('teams.findPeople')}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        placeholder={t('teams.findPeople')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        style={{ marginTop: 8 }}
      />
      <ErrorAlert error={search.error} />
      {term !== '' && search.isSuccess && candidates.length === 0 && (
        <span className="field-hint">{t('teams.nobodyMatches', { term })}</span>
      )}
      {candidates.length > 0 && (
        <ul className="pick-list" aria-label={t('teams.peopleToAdd')}>
          {candidates.map((u) => (
            <li key={u.id}>
              <span>
                {u.name} <span className="muted">{u.email}</span>
              </span>
              <Button
                size="sm"
                onClick={() => onChange([...value, { id: u.id, name: u.name, email: u.email }])}
              >
                {t('teams.add')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && <span className="field-error">{error}</span>}
    </fieldset>
  );
}
