import type { TicketFilter, TicketSort } from '@contracts';
import { useT, type MessageKey } from '../../i18n';
import { Options, priorityName, SearchField, SelectField, TextField } from '../../ui';
import { useUserOptions } from '../users/api';
import { OPEN_STATUSES, STATUS_LABEL, STATUSES, TYPE_LABEL } from './labels';
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
  const t = useT();
  const current = value?.join(',') ?? '';
  // a saved view may hold a combination the presets do not name: show it rather than lose it
  const all: Choice[] = choices.some(([v]) => v === current)
    ? choices
    : [...choices, [current, t('queue.filter.custom')]];
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

const SORTS: [TicketSort | '', MessageKey][] = [
  ['', 'queue.sort.default'],
  ['updated', 'queue.sort.updated'],
  ['created', 'queue.sort.created'],
  ['priority', 'queue.sort.priority'],
  ['number', 'queue.sort.number'],
  ['resolution_due', 'queue.sort.resolutionDue'],
  ['response_due', 'queue.sort.responseDue'],
  ['relevance', 'queue.sort.relevance'],
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
  const t = useT();
  const users = useUserOptions();
  const set = <K extends keyof TicketFilter>(k: K, v: TicketFilter[K]) => {
    const next = { ...filter };
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  return (
    <>
      <SearchField placeholder={t('queue.searchPlaceholder')} value={q} onChange={onQ} />
      <ListSelect
        label={t('queue.filter.status')}
        value={filter.status}
        parse={(s) => s as (typeof STATUSES)[number]}
        onChange={(v) => set('status', v)}
        choices={[
          [OPEN_STATUSES.join(','), t('queue.filter.open')],
          ['', t('queue.filter.anyStatus')],
          ...STATUSES.map((s): Choice => [s, t(STATUS_LABEL[s])]),
        ]}
      />
      <ListSelect
        label={t('queue.filter.priority')}
        value={filter.priority}
        parse={Number}
        onChange={(v) => set('priority', v)}
        choices={[
          ['', t('queue.filter.anyPriority')],
          ['4,5,6', t('queue.filter.highAndAbove')],
          ...[6, 5, 4, 3, 2, 1].map((p): Choice => [String(p), priorityName(t, p)]),
        ]}
      />
      <ListSelect
        label={t('queue.filter.type')}
        value={filter.type}
        parse={(s) => s as keyof typeof TYPE_LABEL}
        onChange={(v) => set('type', v)}
        choices={[
          ['', t('queue.filter.anyType')],
          ...(Object.keys(TYPE_LABEL) as (keyof typeof TYPE_LABEL)[]).map((ty): Choice => [
            ty,
            t(TYPE_LABEL[ty]),
          ]),
        ]}
      />
      <SelectField
        label={t('queue.filter.team')}
        value={filter.teamId ?? ''}
        onChange={(e) => set('teamId', e.target.value)}
      >
        <option value="">{t('queue.filter.anyTeam')}</option>
        <TeamOptions />
      </SelectField>
      <SelectField
        label={t('queue.filter.assignee')}
        value={filter.assignee ?? ''}
        onChange={(e) => set('assignee', e.target.value)}
      >
        <option value="">{t('queue.filter.anyone')}</option>
        <option value="me">{t('queue.filter.me')}</option>
        <option value="none">{t('queue.filter.unassigned')}</option>
        <Options
          items={users.data?.filter((u) => u.role !== 'requester')}
          value={(u) => u.id}
          label={(u) => u.name}
        />
      </SelectField>
      <SelectField
        label={t('queue.filter.category')}
        value={filter.categoryId ?? ''}
        onChange={(e) => set('categoryId', e.target.value)}
      >
        <option value="">{t('queue.filter.anyCategory')}</option>
        <CategoryOptions />
      </SelectField>
      <TextField
        label={t('queue.filter.openedFrom')}
        type="date"
        value={filter.createdFrom?.slice(0, 10) ?? ''}
        onChange={(e) => set('createdFrom', dayBound(e.target.value, false))}
      />
      <TextField
        label={t('queue.filter.openedUntil')}
        type="date"
        value={filter.createdTo?.slice(0, 10) ?? ''}
        onChange={(e) => set('createdTo', dayBound(e.target.value, true))}
      />
      <SelectField
        label={t('queue.filter.sortBy')}
        value={filter.sort ?? ''}
        onChange={(e) => set('sort', e.target.value === '' ? undefined : (e.target.value as TicketSort))}
      >
        {SORTS.filter(([s]) => s !== 'relevance' || q.trim() !== '').map(([s, l]) => (
          <option key={s} value={s}>
            {t(l)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('queue.filter.order')}
        value={filter.order ?? 'desc'}
        onChange={(e) => set('order', e.target.value === 'desc' ? undefined : 'asc')}
      >
        <option value="desc">{t('queue.filter.desc')}</option>
        <option value="asc">{t('queue.filter.asc')}</option>
      </SelectField>
    </>
  );
}
