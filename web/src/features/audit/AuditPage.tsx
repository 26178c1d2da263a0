import { Fragment, useState } from 'react';
import {
  Button,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  actionName,
  entityName,
  formatDateTime,
  useDebounced,
} from '../../ui';
import { useUserOptions } from '../users/api';
import { useAuditLog, type AuditFilters } from './api';
import { AuditDiff } from './AuditDiff';
import { useT } from '../../i18n';

const NO_FILTERS: AuditFilters = { action: '', entityType: '', actorId: '', from: '', to: '' };

/** The audit log for admins: filters, a table of entries and an expandable before/after view per entry. */
export function AuditPage() {
  const t = useT();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const log = useAuditLog(useDebounced(filters, 300));
  const actors = useUserOptions();
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
  // what people call the ids the pages mention (names, team names, INC-42, item names)
  const names = new Map(log.data?.pages.flatMap((p) => Object.entries(p.names)) ?? []);
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const filtered = Object.values(filters).some((v) => v !== '');

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Panel padded={false}>
        <div className="toolbar" role="search">
          <TextField
            label={t('audit.action')}
            placeholder={t('audit.actionPlaceholder')}
            value={filters.action}
            onChange={set('action')}
          />
          <TextField
            label={t('audit.entityType')}
            placeholder={t('audit.entityTypePlaceholder')}
            value={filters.entityType}
            onChange={set('entityType')}
          />
          <SelectField label={t('audit.actor')} value={filters.actorId} onChange={set('actorId')}>
            <option value="">{t('audit.anyone')}</option>
            {(actors.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
          <TextField label={t('audit.from')} type="date" value={filters.from} onChange={set('from')} />
          <TextField label={t('audit.to')} type="date" value={filters.to} onChange={set('to')} />
          {filtered && (
            <Button variant="ghost" onClick={() => setFilters(NO_FILTERS)}>
              {t('audit.clear')}
            </Button>
          )}
        </div>
        {log.isPending ? (
          <Loading />
        ) : log.isError ? (
          <div className="panel-body">
            <ErrorAlert error={log.error} title={t('audit.loadFailed')} />
          </div>
        ) : entries.length === 0 ? (
          <Empty>{filtered ? t('audit.noMatch') : t('audit.nothing')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-sticky-when" aria-label={t('audit.entries')}>
              <thead>
                <tr>
                  <th scope="col" className="cell-when">
                    {t('common.when')}
                  </th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col" className="hide-narrow">
                    {t('audit.entity')}
                  </th>
                  <th scope="col" className="hide-narrow">
                    {t('audit.ip')}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t('audit.details')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const expanded = open.has(e.id);
                  return (
                    <Fragment key={e.id}>
                      <tr>
                        <td className="cell-when">{formatDateTime(e.at)}</td>
                        <td>{(e.actorId !== null && names.get(e.actorId)) || e.actorLabel}</td>
                        <td>{actionName(e.action)}</td>
                        <td className="hide-narrow">
                          {entityName(e.entityType)}
                          {e.entityId !== null &&
                            (names.has(e.entityId) ? (
                              <> {names.get(e.entityId)}</>
                            ) : (
                              <span className="muted mono"> {e.entityId.slice(0, 8)}</span>
                            ))}
                        </td>
                        <td className="hide-narrow mono">{e.ip ?? '—'}</td>
                        <td className="cell-actions">
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-expanded={expanded}
                            aria-controls={expanded ? `audit-${e.id}` : undefined}
                            onClick={() => toggle(e.id)}
                          >
                            {expanded ? t('audit.hide') : t('audit.changes')}
                          </Button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr className="detail-row" id={`audit-${e.id}`}>
                          <td colSpan={6}>
                            <AuditDiff entry={e} names={names} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {log.hasNextPage && (
          <div className="table-footer">
            <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          </div>
        )}
      </Panel>
    </>
  );
}
