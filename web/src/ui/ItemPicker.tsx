import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Ci, CiKind } from '@contracts';
import { api, type Page } from '../api/client';
import { Button } from './Button';
import { ErrorAlert } from './Feedback';
import { TextField } from './Field';
import { useDebounced } from './hooks';

/** An item of the CMDB as a picker gives it: its id, and its name for people. */
export interface PickedItem {
  id: string;
  name: string;
}

/** Items matching what was typed (two characters or more) by name, tag or serial, narrowed to `kind`. */
function useItemSearch(q: string, kind: CiKind | undefined) {
  return useQuery({
    queryKey: ['cis', 'search', q, kind === undefined ? {} : { kind }],
    enabled: q.length >= 2,
    queryFn: ({ signal }) => api.get<Page<Ci>>('/api/v1/cis', { kind, q, limit: 8 }, signal),
    select: (p) => p.items,
  });
}

/** What an item picker says: its feature's own words. */
export interface ItemPickerWords {
  /** The search box's label ("Find a computer"). */
  label: string;
  placeholder: string;
  /** The list of matches, for screen readers ("Computers found"). */
  results: string;
  noMatch: string;
  /** The button beside each match ("Assign", "Add"), and its accessible name for item `name`. */
  button: string;
  buttonLabel: (name: string) => string;
}

/**
 * Picking CMDB items by name (or tag, or serial): a search box and its matches by name, each with a button that
 * hands the item to `onPick`. Items in `exclude` (already picked) are not offered again. Shared by the backup
 * policies (assigning a computer) and the change form (the items a change touches).
 */
export function ItemPicker({
  words,
  onPick,
  kind,
  busy = false,
  exclude = [],
  error,
}: {
  words: ItemPickerWords;
  onPick: (item: PickedItem) => void;
  kind?: CiKind | undefined;
  busy?: boolean;
  exclude?: readonly string[];
  /** The server's message about the field, under the search box. */
  error?: string | undefined;
}) {
  const [q, setQ] = useState('');
  const term = useDebounced(q.trim());
  const found = useItemSearch(term, kind);
  const shown = (found.data ?? []).filter((c) => !exclude.includes(c.id));
  return (
    <div className="stack-sm">
      <TextField
        label={words.label}
        type="search"
        placeholder={words.placeholder}
        value={q}
        error={error}
        onChange={(e) => setQ(e.target.value)}
      />
      <ErrorAlert error={found.error} />
      {found.data !== undefined && q.trim().length >= 2 && (found.data.length === 0 || shown.length > 0) && (
        <ul className="pick-list" aria-label={words.results}>
          {found.data.length === 0 && <li className="muted">{words.noMatch}</li>}
          {shown.map((c) => (
            <li key={c.id}>
              <span>{c.name}</span>
              <Button
                size="sm"
                busy={busy}
                aria-label={words.buttonLabel(c.name)}
                onClick={() => onPick({ id: c.id, name: c.name })}
              >
                {words.button}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
