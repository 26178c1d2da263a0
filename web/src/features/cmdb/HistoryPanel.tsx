import type { ReactNode } from 'react';
import type { AuditEntry } from '@contracts';
import { activeLocale, useT, type Translate } from '../../i18n';
import { Message } from '../../i18n/Message';
import { Button, ErrorAlert, Loading, Panel, actionName, fieldName, formatDateTime } from '../../ui';
import { TeamName, UserName } from '../tickets/parts';
import { useCiHistory, useClasses } from './api';
import { fieldLabel, lineOf, type FieldChange, type HistoryLine } from './history';
import { STATUSES, relationshipLabel, statusLabel } from './labels';
import { ItemLink } from './parts';

/** A name inside a sentence: lower case in English ("asset tag"), as it is in German (nouns keep capitals). */
const inSentence = (name: string) => (activeLocale() === 'en' ? name.toLowerCase() : name);

/** A field's value as the history shows it: names for references, labels for states. */
function Value({ field, value }: { field: string; value: unknown }) {
  const t = useT();
  if (value === null || value === undefined || value === '')
    return <em className="muted">{t('cmdb.history.empty')}</em>;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  switch (field) {
    case 'ownerId':
      return <UserName id={s} />;
    case 'teamId':
      return <TeamName id={s} />;
    case 'locationId':
      return <ItemLink id={s} />;
    case 'status': {
      const status = STATUSES.find((x) => x === s);
      return <>{status === undefined ? s : statusLabel(t, status)}</>;
    }
    default:
      return <>{t('cmdb.history.quoted', { text: s.length > 80 ? `${s.slice(0, 79)}…` : s })}</>;
  }
}

/** "status from Deployed to In repair" for one change. */
function Change({ change, labels }: { change: FieldChange; labels: Map<string, string> }) {
  const t = useT();
  const custom = change.field.startsWith('custom.') ? change.field.slice(7) : null;
  const name =
    custom !== null
      ? (labels.get(custom) ?? custom)
      : (fieldLabel(t, change.field) ?? inSentence(fieldName(change.field)));
  return (
    <span className="history-change">
      <Message
        id="cmdb.history.change"
        values={{
          field: name,
          before: <Value field={change.field} value={change.before} />,
          after: <Value field={change.field} value={change.after} />,
        }}
      />
    </span>
  );
}

/** A report's software changes on a computer: counts, with the lists behind a disclosure. */
function SoftwareChanges(lists: { added: string[]; reinstalled: string[]; removed: string[] }) {
  const t = useT();
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
        {t('cmdb.history.software', {
          changes: parts
            .map(([verb, l]) => t(`cmdb.history.sw.${verb}.count`, { count: l.length }))
            .join(', '),
        })}
      </summary>
      {parts.map(([verb, l]) => (
        <p key={verb}>
          <strong>{t(`cmdb.history.sw.${verb}`)}:</strong> {l.slice(0, 200).join(', ')}
          {l.length > 200 && ` ${t('cmdb.history.andMore', { count: l.length - 200 })}`}
        </p>
      ))}
    </details>
  );
}

/** What one entry did, as the rest of a sentence that starts with who did it. */
function whatOf(t: Translate, line: HistoryLine, labels: Map<string, string>): ReactNode {
  switch (line.kind) {
    case 'created':
      return line.via === 'csv'
        ? t('cmdb.history.imported')
        : line.via === 'discovery'
          ? t('cmdb.history.discovered')
          : t('cmdb.history.created');
    case 'changed':
      return line.changes.length === 0 ? (
        t('cmdb.history.savedUnchanged')
      ) : (
        <Message
          id="cmdb.history.changed"
          values={{
            changes: (
              <>
                {line.changes.map((c, i) => (
                  <span key={c.field}>
                    {i > 0 && '; '}
                    <Change change={c} labels={labels} />
                  </span>
                ))}
              </>
            ),
          }}
        />
      );
    case 'related':
    case 'unrelated': {
      const known = relationshipLabel(t, line.type, line.outgoing ? 'out' : 'in');
      const verb = known === line.type ? inSentence(fieldName(line.type)) : known;
      return (
        <Message
          id={line.kind === 'related' ? 'cmdb.history.related' : 'cmdb.history.unrelated'}
          values={{ verb, item: <ItemLink id={line.otherId} /> }}
        />
      );
    }
    case 'software':
      return line.onComputer ? (
        <SoftwareChanges added={line.added} reinstalled={line.reinstalled} removed={line.removed} />
      ) : line.added.length > 0 ? (
        t('cmdb.history.foundInstallation')
      ) : line.reinstalled.length > 0 ? (
        t('cmdb.history.foundAgain')
      ) : (
        t('cmdb.history.lost')
      );
    case 'backup_run':
      return line.status === 'failed'
        ? line.error === null
          ? t('cmdb.history.backupFailed')
          : t('cmdb.history.backupFailedWhy', { error: line.error })
        : line.status === 'partial'
          ? t('cmdb.history.backupPartial')
          : t('cmdb.history.backedUp');
    case 'other':
      return inSentence(actionName(line.action));
  }
}

/** One entry as a sentence. */
function Line({ entry, itemId, labels }: { entry: AuditEntry; itemId: string; labels: Map<string, string> }) {
  const t = useT();
  return (
    <li className="history-line">
      <span>
        <strong>
          {entry.actorId ? <UserName id={entry.actorId} fallback={entry.actorLabel} /> : entry.actorLabel}
        </strong>{' '}
        {whatOf(t, lineOf(entry, itemId), labels)}
      </span>
      <time className="muted" dateTime={entry.at}>
        {formatDateTime(entry.at)}
      </time>
    </li>
  );
}

/** An item's history from the audit trail, newest first: what changed, who, when. */
export function HistoryPanel({ id }: { id: string }) {
  const t = useT();
  const history = useCiHistory(id);
  const classes = useClasses();
  const labels = new Map<string, string>();
  for (const c of classes.data ?? []) for (const f of c.fields) labels.set(f.key, inSentence(f.label));
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title={t('cmdb.history')}>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorAlert error={history.error} title={t('cmdb.history.notLoaded')} />
      ) : entries.length === 0 ? (
        <p className="muted">{t('cmdb.history.none')}</p>
      ) : (
        <ol className="history" aria-label={t('cmdb.history')}>
          {entries.map((e) => (
            <Line key={e.id} entry={e} itemId={id} labels={labels} />
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <div className="table-footer">
          <Button busy={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Panel>
  );
}
