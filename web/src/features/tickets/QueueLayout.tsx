import { useEffect, useState } from 'react';
import { QUEUE_COLUMNS, type QueueColumn, type QueuePrefs, type TicketListItem } from '@contracts';
import { useT, type Translate } from '../../i18n';
import { formatDateTime, type Column } from '../../ui';
import { CategoryPath, PriorityBadge, StatusBadge, TeamName, UserName } from './parts';
import { COLUMN_LABEL, useQueuePrefs, useSaveQueuePrefs } from './queuePrefs';
import { SlaBadge } from './SlaParts';

function TeamCell({ id }: { id: string | null }) {
  const t = useT();
  return <TeamName id={id} fallback={t('queue.triage')} />;
}

function AssigneeCell({ id }: { id: string | null }) {
  const t = useT();
  return <UserName id={id} fallback={t('queue.unassigned')} />;
}

/** The cell of each optional column. Status and priority stay on phones; the others fold away there. */
const CELLS: Record<QueueColumn, Omit<Column<TicketListItem>, 'header'>> = {
  status: { cell: (t) => <StatusBadge ticket={t} /> },
  priority: { cell: (t) => <PriorityBadge ticket={t} /> },
  team: { wide: true, cell: (t) => <TeamCell id={t.teamId} /> },
  assignee: { wide: true, cell: (t) => <AssigneeCell id={t.assigneeId} /> },
  requester: { wide: true, cell: (t) => <UserName id={t.requesterId} /> },
  category: { wide: true, cell: (t) => <CategoryPath id={t.categoryId} /> },
  slaDue: { wide: true, cell: (t) => <SlaBadge sla={t.sla} /> },
  updated: { wide: true, className: 'cell-when', cell: (t) => formatDateTime(t.updatedAt) },
};

/** Shown on phones whatever a wide screen's layout chose. */
const ON_PHONES: readonly QueueColumn[] = ['status', 'priority'];

/** The chosen optional columns in the chooser's order (status and priority on phones in any case). */
export function chosenColumns(t: Translate, columns: readonly QueueColumn[]): Column<TicketListItem>[] {
  return QUEUE_COLUMNS.filter((c) => columns.includes(c) || ON_PHONES.includes(c)).map((c) => ({
    header: t(COLUMN_LABEL[c]),
    ...CELLS[c],
    ...(columns.includes(c) ? {} : { narrowOnly: true }),
  }));
}

/** "Columns": which optional columns the queue shows, and compact rows; saved for the person. */
export function ColumnChooser() {
  const t = useT();
  const saved = useQueuePrefs();
  const save = useSaveQueuePrefs();
  // The boxes follow a click in the same render (the cache's update reaches them a tick later, after React
  // has put a controlled box back), and the saved layout whenever it changes.
  const [prefs, setPrefs] = useState(saved);
  useEffect(() => setPrefs(saved), [saved]);
  const apply = (p: QueuePrefs) => {
    setPrefs(p);
    save.mutate(p);
  };
  const toggle = (c: QueueColumn) =>
    apply({
      ...prefs,
      columns: prefs.columns.includes(c) ? prefs.columns.filter((x) => x !== c) : [...prefs.columns, c],
    });
  return (
    <details className="column-chooser">
      <summary className="btn btn-secondary btn-sm">{t('queue.columns')}</summary>
      <fieldset className="column-chooser-menu panel">
        <legend className="visually-hidden">{t('queue.columnsLegend')}</legend>
        {QUEUE_COLUMNS.map((c) => (
          <label key={c} className="checkbox">
            <input type="checkbox" checked={prefs.columns.includes(c)} onChange={() => toggle(c)} />{' '}
            {t(COLUMN_LABEL[c])}
          </label>
        ))}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={prefs.density === 'compact'}
            onChange={(e) => apply({ ...prefs, density: e.target.checked ? 'compact' : 'comfortable' })}
          />{' '}
          {t('queue.compact')}
        </label>
      </fieldset>
    </details>
  );
}
