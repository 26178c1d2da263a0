import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useState } from 'react';
import type { Ticket, TicketLink } from '@contracts';
import { api, type Page } from '../../api/client';
import { useT, type MessageKey } from '../../i18n';
import { Button, ConfirmButton, ErrorAlert, Panel, SearchField, useDebounced } from '../../ui';
import { useAddLink, useLinks, useMerge, useRemoveLink } from './api';
import { STATUS_LABEL } from './labels';

const KIND: Record<TicketLink['kind'], [MessageKey, MessageKey]> = {
  problem: ['links.problemOut', 'links.problemIn'],
  parent: ['links.parentOut', 'links.parentIn'],
  duplicate: ['links.duplicateOut', 'links.duplicateIn'],
};

/**
 * Links of a ticket (problem and incidents, parent and children, merges) and, for agents, a search to link
 * this ticket to another or merge it, as a duplicate, into another.
 */
export function LinksPanel({ ticket, final }: { ticket: Ticket; final: boolean }) {
  const t = useT();
  const links = useLinks(ticket.id);
  const add = useAddLink(ticket.id);
  const remove = useRemoveLink(ticket.id);
  const merge = useMerge(ticket.id);
  const [q, setQ] = useState('');
  const search = useDebounced(q, 250).trim();
  const found = useQuery({
    queryKey: ['tickets', 'link-search', search],
    enabled: search.length >= 2,
    queryFn: ({ signal }) => api.get<Page<Ticket>>('/api/v1/tickets', { q: search, limit: 6 }, signal),
    select: (p) => p.items.filter((x) => x.id !== ticket.id),
  });
  return (
    <Panel title={t('links.title')}>
      <div className="stack-sm">
        <ErrorAlert error={links.error ?? add.error ?? remove.error ?? merge.error} />
        {(links.data ?? []).length === 0 ? (
          <p className="muted">{t('links.none')}</p>
        ) : (
          <ul className="plain-list" aria-label={t('links.linked')}>
            {(links.data ?? []).map((l) => (
              <li key={l.id}>
                <span className="muted">{t(KIND[l.kind][l.direction === 'outgoing' ? 0 : 1])}</span>{' '}
                <Link to={`/tickets/${l.ticket.id}`}>
                  {l.ticket.key} {l.ticket.title}
                </Link>{' '}
                <span className="muted">({t(STATUS_LABEL[l.ticket.status])})</span>
                {l.kind !== 'duplicate' && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('links.unlinkKey', { key: l.ticket.key })}
                    onClick={() => remove.mutate(l.id)}
                  >
                    {t('links.unlink')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!final && (
          <>
            <SearchField value={q} onChange={setQ} placeholder={t('links.find')} />
            <ul className="plain-list" aria-label={t('links.found')}>
              {(found.data ?? []).map((x) => (
                <li key={x.id}>
                  {x.key} {x.title}{' '}
                  {ticket.type === 'incident' && x.type === 'problem' && (
                    <Button size="sm" onClick={() => add.mutate({ kind: 'problem', targetId: x.id })}>
                      {t('links.causedBy')}
                    </Button>
                  )}
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => add.mutate({ kind: 'parent', targetId: x.id })}
                  >
                    {t('links.makeParent')}
                  </Button>
                  <ConfirmButton
                    confirmLabel={t('links.confirmMerge', { from: ticket.key, into: x.key })}
                    busy={merge.isPending}
                    onConfirm={() => merge.mutate(x.id)}
                  >
                    {t('links.mergeInto')}
                  </ConfirmButton>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Panel>
  );
}
