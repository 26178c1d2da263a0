import type { ReactNode } from 'react';
import type { AuditEntry, CiStatus } from '@contracts';
import { Button, ErrorAlert, Loading, Panel, actionName, fieldName, formatDateTime } from '../../ui';
import { TeamName, UserName } from '../tickets/parts';
import { useCiHistory, useClasses } from './api';
import { FIELD_LABEL, lineOf, type FieldChange } from './history';
import { RELATIONSHIP_LABEL, STATUS_LABEL } from './labels';
import { ItemLink } from './parts';
import type { RelationshipType } from '@contracts';

/** A field's value as the history shows it: names for references, labels for states. */
function Value({ field, value }: { field: string; value: unknown }) {
  if (value === null || value === undefined || value === '') return <em className="muted">empty</em>;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  switch (field) {
    case 'ownerId':
      return <UserName id={s} />;
    case 'teamId':
      return <TeamName id={s} />;
    case 'locationId':
      return <ItemLink id={s} />;
    case 'status':
      return <>{STATUS_LABEL[s as CiStatus] ?? s}</>;
    default:
      return <>“{s.length > 80 ? `${s.slice(0, 79)}…` : s}”</>;
  }
}

/** "status from Deployed to In repair" for one change. */
function Change({ change, labels }: { change: FieldChange; labels: Map<string, string> }) {
  const custom = change.field.startsWith('custom.') ? change.field.slice(7) : null;
  const name =
    custom !== null
      ? (labels.get(custom) ?? custom)
      : (FIELD_LABEL[change.field] ?? fieldName(change.field).toLowerCase());
  return (
    <span className="history-change">
      {name} from <Value field={change.field} value={change.before} /> to{' '}
      <Value field={change.field} value={change.after} />
    </span>
  );
}

/** A report's software changes on a computer: counts, with the lists behind a disclosure. */
function SoftwareChanges(lists: { added: string[]; reinstalled: string[]; removed: string[] }) {
  const parts = (
    [
      ['installed', lists.added],
      ['reinstalled', lists.reinstalled],
      ['removed', lists.removed],
    ] as const
  ).filter(([, l]) => l.length > 0);
  return (
    <details className="history-software">
      <summary>
        found software changes: {parts.map(([verb, l]) => `${l.length.toLocaleString()} ${verb}`).join(', ')}
      </summary>
      {parts.map(([verb, l]) => (
        <p key={verb}>
          <strong>{verb}:</strong> {l.slice(0, 200).join(', ')}
          {l.length > 200 && ` and ${(l.length - 200).toLocaleString()} more`}
        </p>
      ))}
    </details>
  );
}

/** One entry as a sentence. */
function Line({ entry, itemId, labels }: { entry: AuditEntry; itemId: string; labels: Map<string, string> }) {
  const line = lineOf(entry, itemId);
  let what: ReactNode;
  switch (line.kind) {
    case 'created':
      what =
        line.via === 'csv'
          ? 'imported the item from CSV'
          : line.via === 'discovery'
            ? 'discovered the item'
            : 'created the item';
      break;
    case 'changed':
      what =
        line.changes.length === 0 ? (
          'saved the item without changes'
        ) : (
          <>
            changed{' '}
            {line.changes.map((c, i) => (
              <span key={c.field}>
                {i > 0 && '; '}
                <Change change={c} labels={labels} />
              </span>
            ))}
          </>
        );
      break;
    case 'related':
    case 'unrelated': {
      const label = RELATIONSHIP_LABEL[line.type as RelationshipType];
      const verb =
        label === undefined ? fieldName(line.type).toLowerCase() : line.outgoing ? label.out : label.in;
      what = (
        <>
          {line.kind === 'related' ? 'added' : 'removed'} “this item {verb} <ItemLink id={line.otherId} />”
        </>
      );
      break;
    }
    case 'software':
      what = line.onComputer ? (
        <SoftwareChanges added={line.added} reinstalled={line.reinstalled} removed={line.removed} />
      ) : line.added.length > 0 ? (
        'found this installation'
      ) : line.reinstalled.length > 0 ? (
        'found this installation again'
      ) : (
        'no longer found this installation'
      );
      break;
    case 'backup_run':
      what =
        line.status === 'failed'
          ? `reported a failed backup${line.error === null ? '' : `: ${line.error}`}`
          : line.status === 'partial'
            ? 'backed it up, with files it could not read'
            : 'backed it up';
      break;
    case 'other':
      what = actionName(line.action).toLowerCase();
      break;
  }
  return (
    <li className="history-line">
      <span>
        <strong>
          {entry.actorId ? <UserName id={entry.actorId} fallback={entry.actorLabel} /> : entry.actorLabel}
        </strong>{' '}
        {what}
      </span>
      <time className="muted" dateTime={entry.at}>
        {formatDateTime(entry.at)}
      </time>
    </li>
  );
}

/** An item's history from the audit trail, newest first: what changed, who, when. */
export function HistoryPanel({ id }: { id: string }) {
  const history = useCiHistory(id);
  const classes = useClasses();
  const labels = new Map<string, string>();
  for (const c of classes.data ?? []) for (const f of c.fields) labels.set(f.key, f.label.toLowerCase());
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title="History">
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorAlert error={history.error} title="The history could not be loaded" />
      ) : entries.length === 0 ? (
        <p className="muted">No changes recorded.</p>
      ) : (
        <ol className="history" aria-label="History">
          {entries.map((e) => (
            <Line key={e.id} entry={e} itemId={id} labels={labels} />
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <div className="table-footer">
          <Button busy={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </Panel>
  );
}
