import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { TicketFilter, TicketListItem } from '@contracts';
import { QueueFieldFilter, type FieldQuery } from './fields';
import { Button, ButtonLink, ListPage, ListTable, useDebounced, type Column } from '../../ui';
import { useShortcut } from '../../app/Shortcuts';
import { useT } from '../../i18n';
import { useTicketCount, useTicketList } from './api';
import { BulkBar } from './BulkBar';
import { OPEN_STATUSES } from './labels';
import { chosenColumns, ColumnChooser } from './QueueLayout';
import { useQueuePrefs } from './queuePrefs';
import { QueueFilters } from './QueueFilters';
import { SavedViews } from './SavedViews';

/** `filter` with the search `q` (none when empty). */
function withSearch(filter: TicketFilter, q: string): TicketFilter {
  const next = { ...filter };
  if (q === '') delete next.q;
  else next.q = q;
  return next;
}

/**
 * The agent console's queue: filters, full-text search, sort, saved views, keyset "Load more", and a row
 * selection that a bulk update applies to.
 */
export function QueuePage() {
  const t = useT();
  const [filter, setFilter] = useState<TicketFilter>({ status: [...OPEN_STATUSES] });
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [showFilters, setShowFilters] = useState(false);
  // the search box feeds the filter once typing pauses; a picked view sets both at once, so nothing races
  const search = useDebounced(q.trim());
  useEffect(() => {
    setFilter((f) => ((f.q ?? '') === search ? f : withSearch(f, search)));
  }, [search]);
  // relevance needs a search; without one the API's default order applies
  const effective: TicketFilter =
    filter.sort === 'relevance' && filter.q === undefined ? { ...filter, sort: undefined } : filter;
  const [fieldQ, setFieldQ] = useState<FieldQuery>({ key: '', value: '' });
  // a custom field filter travels as `field.<key>=value` (not saved with views)
  const listed =
    fieldQ.key && fieldQ.value.trim()
      ? { ...effective, [`field.${fieldQ.key}`]: fieldQ.value.trim() }
      : effective;
  const list = useTicketList(listed);
  const count = useTicketCount(listed);
  const tickets = list.data?.pages.flatMap((p) => p.items) ?? [];
  // only rows on screen can be changed in bulk, whatever was ticked under an earlier filter
  const chosen = tickets.filter((x) => selected.has(x.id)).map((x) => x.id);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  // j/k choose a row (its number link takes the focus), o or Enter opens it
  const prefs = useQueuePrefs();
  const navigate = useNavigate();
  const [cursor, setCursor] = useState(-1);
  const move = (by: number) => {
    if (tickets.length === 0) return;
    const next = Math.max(0, Math.min(tickets.length - 1, cursor + by));
    setCursor(next);
    const row = tickets[next];
    if (row) document.getElementById(`queue-row-${row.id}`)?.focus();
  };
  useShortcut('j', () => move(1));
  useShortcut('k', () => move(-1));
  useShortcut('o', () => {
    const row = tickets[cursor];
    if (row) void navigate(`/tickets/${row.id}`);
  });
  const allSelected = tickets.length > 0 && tickets.every((x) => selected.has(x.id));
  const columns: Column<TicketListItem>[] = [
    {
      header: (
        <input
          type="checkbox"
          aria-label={t('queue.selectAll')}
          checked={allSelected}
          onChange={() => setSelected(allSelected ? new Set() : new Set(tickets.map((x) => x.id)))}
        />
      ),
      className: 'cell-check',
      cell: (x) => (
        <input
          type="checkbox"
          aria-label={t('queue.select', { key: x.key })}
          checked={selected.has(x.id)}
          onChange={() => toggle(x.id)}
        />
      ),
    },
    {
      header: t('queue.number'),
      className: 'cell-strong mono',
      cell: (x) => (
        <Link id={`queue-row-${x.id}`} to={`/tickets/${x.id}`}>
          {x.key}
        </Link>
      ),
    },
    {
      header: t('queue.ticketTitle'),
      className: 'cell-title',
      cell: (x) => <Link to={`/tickets/${x.id}`}>{x.title}</Link>,
    },
    ...chosenColumns(t, prefs.columns),
  ];
  const pick = (f: TicketFilter) => {
    setFilter(f);
    setQ(f.q ?? '');
    setSelected(new Set());
  };

  return (
    <ListPage
      title={t('nav.queue')}
      actions={<ButtonLink to="/tickets/macros">{t('queue.macros')}</ButtonLink>}
      description={
        <>
          {t('queue.description')}{' '}
          <span role="status">{count.data === undefined ? '' : t('queue.count', { count: count.data })}</span>
        </>
      }
      toolbar={
        <>
          {/* saved with the search box as typed, even if the list has not caught up with it yet */}
          <SavedViews filter={withSearch(effective, q.trim())} onPick={pick} />
          <ColumnChooser />
          {/* on phones the filters other than search fold away behind this button */}
          <Button
            size="sm"
            className="filters-toggle"
            aria-expanded={showFilters}
            onClick={() => setShowFilters((v) => !v)}
          >
            {showFilters ? t('queue.hideFilters') : t('queue.moreFilters')}
          </Button>
          <div className={showFilters ? 'queue-filters is-open' : 'queue-filters'}>
            <QueueFilters
              filter={filter}
              q={q}
              onQ={setQ}
              onChange={(f) => {
                setFilter(f);
                setSelected(new Set());
              }}
            />
            <QueueFieldFilter value={fieldQ} onChange={setFieldQ} />
          </div>
        </>
      }
    >
      {chosen.length > 0 && <BulkBar ids={chosen} onDone={() => setSelected(new Set())} />}
      <div
        aria-busy={list.isFetching && !list.isFetchingNextPage}
        className={prefs.density === 'compact' ? 'queue-compact' : undefined}
      >
        <ListTable
          query={list}
          rows={tickets}
          label={t('queue.tickets')}
          noun={t('queue.noun')}
          empty={t('queue.empty')}
          columns={columns}
          rowKey={(x) => x.id}
          rowClassName={(x) =>
            [selected.has(x.id) ? 'is-selected' : '', tickets[cursor]?.id === x.id ? 'is-cursor' : '']
              .join(' ')
              .trim() || undefined
          }
        />
      </div>
    </ListPage>
  );
}
