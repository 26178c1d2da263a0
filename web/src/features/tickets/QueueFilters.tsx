import type { TicketFilter, TicketSort } from '@contracts';
import { Options, SearchField, SelectField, TextField } from '../../ui';
import { useUserOptions } from '../users/api';
import { OPEN_STATUSES, priorityLabel, STATUS_LABEL, STATUSES, TYPE_LABEL } from './labels';
import { CategoryOptions, TeamOptions } from './parts';

/** One option of a select over a multi-valued filter: the comma-joined values, and a label. */
type Choice = [value: string, label: string];

/** A select over a list-valued filter (`status`, `type`, `priority`) with presets and single values. */
function ListSelect<T extends string | number>({
  label,
  value,
  choices,
  parse,
  onChange,
}: {
  label: string;
  value: readonly T[] | undefined;
  choices: Choice[];
  parse: (s: string) => T;
  onChange: (v: T[] | undefined) => void;
}) {
  const current = value?.join(',') ?? '';
  // a saved view may hold a combination the presets do not name: show it rather than lose it
  const all: Choice[] = choices.some(([v]) => v === current) ? choices : [...choices, [current, 'Custom']];
  return (
    <SelectField
      label={label}
      value={current}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value.split(',').map(parse))}
    >
      {all.map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </SelectField>
  );
}

/** `2026-01-31` at the start (or end) of that day in UTC, for the date filters; undefined when empty. */
function dayBound(day: string, end: boolean): string | undefined {
  if (day === '') return undefined;
  return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
}

const SORTS: [TicketSort | '', string][] = [
  ['', 'Best match / newest'],
  ['updated', 'Last update'],
  ['created', 'Opened'],
  ['priority', 'Priority'],
  ['number', 'Number'],
  ['resolution_due', 'Resolution due'],
  ['response_due', 'First response due'],
  ['relevance', 'Relevance (search)'],
];

/**
 * The queue's filter bar: full-text search, status, priority, type, team, assignee, category, the opening
 * dates, and the sort. Every control edits one field of the filter, which is what saved views store.
 */
export function QueueFilters({
  filter,
  q,
  onQ,
  onChange,
}: {
  filter: TicketFilter;
  q: string;
  onQ: (q: string) => void;
  onChange: (f: TicketFilter) => void;
}) {
  const users = useUserOptions();
  const set = <K extends keyof TicketFilter>(k: K, v: TicketFilter[K]) => {
    const next = { ...filter };
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  return (
    <>
      <SearchField placeholder="Words in titles, descriptions and comments" value={q} onChange={onQ} />
      <ListSelect
        label="Status"
        value={filter.status}
        parse={(s) => s as (typeof STATUSES)[number]}
        onChange={(v) => set('status', v)}
        choices={[
          [OPEN_STATUSES.join(','), 'Open'],
          ['', 'Any status'],
          ...STATUSES.map((s): Choice => [s, STATUS_LABEL[s]]),
        ]}
      />
      <ListSelect
        label="Priority"
        value={filter.priority}
        parse={Number}
        onChange={(v) => set('priority', v)}
        choices={[
          ['', 'Any priority'],
          ['4,5,6', 'High and above'],
          ...[6, 5, 4, 3, 2, 1].map((p): Choice => [String(p), priorityLabel(p)]),
        ]}
      />
      <ListSelect
        label="Type"
        value={filter.type}
        parse={(s) => s as keyof typeof TYPE_LABEL}
        onChange={(v) => set('type', v)}
        choices={[
          ['', 'Any type'],
          ...(Object.keys(TYPE_LABEL) as (keyof typeof TYPE_LABEL)[]).map((t): Choice => [t, TYPE_LABEL[t]]),
        ]}
      />
      <SelectField label="Team" value={filter.teamId ?? ''} onChange={(e) => set('teamId', e.target.value)}>
        <option value="">Any team</option>
        <TeamOptions />
      </SelectField>
      <SelectField
        label="Assignee"
        value={filter.assignee ?? ''}
        onChange={(e) => set('assignee', e.target.value)}
      >
        <option value="">Anyone</option>
        <option value="me">Me</option>
        <option value="none">Unassigned</option>
        <Options
          items={users.data?.filter((u) => u.role !== 'requester')}
          value={(u) => u.id}
          label={(u) => u.name}
        />
      </SelectField>
      <SelectField
        label="Category"
        value={filter.categoryId ?? ''}
        onChange={(e) => set('categoryId', e.target.value)}
      >
        <option value="">Any category</option>
        <CategoryOptions />
      </SelectField>
      <TextField
        label="Opened from"
        type="date"
        value={filter.createdFrom?.slice(0, 10) ?? ''}
        onChange={(e) => set('createdFrom', dayBound(e.target.value, false))}
      />
      <TextField
        label="Opened until"
        type="date"
        value={filter.createdTo?.slice(0, 10) ?? ''}
        onChange={(e) => set('createdTo', dayBound(e.target.value, true))}
      />
      <SelectField
        label="Sort by"
        value={filter.sort ?? ''}
        onChange={(e) => set('sort', e.target.value === '' ? undefined : (e.target.value as TicketSort))}
      >
        {SORTS.filter(([s]) => s !== 'relevance' || q.trim() !== '').map(([s, l]) => (
          <option key={s} value={s}>
            {l}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Order"
        value={filter.order ?? 'desc'}
        onChange={(e) => set('order', e.target.value === 'desc' ? undefined : 'asc')}
      >
        <option value="desc">Descending</option>
        <option value="asc">Ascending</option>
      </SelectField>
    </>
  );
}
