import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useState } from 'react';
import type { Ticket, TicketLink } from '@contracts';
import { api, type Page } from '../../api/client';
import { Button, ConfirmButton, ErrorAlert, Panel, SearchField, useDebounced } from '../../ui';
import { useAddLink, useLinks, useMerge, useRemoveLink } from './api';
import { STATUS_LABEL } from './labels';

const KIND: Record<TicketLink['kind'], [string, string]> = {
  problem: ['Caused by problem', 'Incident of this problem'],
  parent: ['Child of', 'Parent of'],
  duplicate: ['Merged into', 'Merged here from'],
};

/**
 * Links of a ticket (problem and incidents, parent and children, merges) and, for agents, a search to link
 * this ticket to another or merge it, as a duplicate, into another.
 */
export function LinksPanel({ ticket, final }: { ticket: Ticket; final: boolean }) {
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
    select: (p) => p.items.filter((t) => t.id !== ticket.id),
  });
  return (
    <Panel title="Links">
      <div className="stack-sm">
        <ErrorAlert error={links.error ?? add.error ?? remove.error ?? merge.error} />
        {(links.data ?? []).length === 0 ? (
          <p className="muted">No linked tickets.</p>
        ) : (
          <ul className="plain-list" aria-label="Linked tickets">
            {(links.data ?? []).map((l) => (
              <li key={l.id}>
                <span className="muted">{KIND[l.kind][l.direction === 'outgoing' ? 0 : 1]}</span>{' '}
                <Link to={`/tickets/${l.ticket.id}`}>
                  {l.ticket.key} {l.ticket.title}
                </Link>{' '}
                <span className="muted">({STATUS_LABEL[l.ticket.status]})</span>
                {l.kind !== 'duplicate' && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Unlink ${l.ticket.key}`}
                    onClick={() => remove.mutate(l.id)}
                  >
                    Unlink
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!final && (
          <>
            <SearchField value={q} onChange={setQ} placeholder="Find a ticket to link" />
            <ul className="plain-list" aria-label="Tickets found">
              {(found.data ?? []).map((t) => (
                <li key={t.id}>
                  {t.key} {t.title}{' '}
                  {ticket.type === 'incident' && t.type === 'problem' && (
                    <Button size="sm" onClick={() => add.mutate({ kind: 'problem', targetId: t.id })}>
                      Caused by this problem
                    </Button>
                  )}
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => add.mutate({ kind: 'parent', targetId: t.id })}
                  >
                    Make parent
                  </Button>
                  <ConfirmButton
                    confirmLabel={`Confirm: close ${ticket.key} into ${t.key}`}
                    busy={merge.isPending}
                    onConfirm={() => merge.mutate(t.id)}
                  >
                    Merge into
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
