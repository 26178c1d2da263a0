import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Ci, RelationshipType } from '@contracts';
import { Button, ErrorAlert, Loading, Panel, SearchField, SelectField, useDebounced } from '../../ui';
import { StatusBadge } from '../tickets/parts';
import {
  useAddRelationship,
  useCiSearch,
  useCiTickets,
  useRelationships,
  useRemoveRelationship,
} from './api';
import { useT } from '../../i18n';
import { RELATIONSHIP_TYPES, relationshipLabel } from './labels';
import { ClassName, ProblemAlert, itemPath } from './parts';

/** Adding a relationship "this item <type> that item", the other item found by a search. */
function AddRelationship({ ci }: { ci: Ci }) {
  const t = useT();
  const [type, setType] = useState<RelationshipType>('depends_on');
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const found = useCiSearch(search);
  const add = useAddRelationship(ci.id);
  const others = (found.data ?? []).filter((c) => c.id !== ci.id);
  return (
    <form className="stack-sm" aria-label={t('cmdb.rel.add')} onSubmit={(e) => e.preventDefault()}>
      <SelectField
        label={t('cmdb.rel.thisItem')}
        value={type}
        onChange={(e) => setType(e.target.value as RelationshipType)}
      >
        {RELATIONSHIP_TYPES.map((r) => (
          <option key={r} value={r}>
            {relationshipLabel(t, r)}
          </option>
        ))}
      </SelectField>
      <SearchField value={q} onChange={setQ} placeholder={t('cmdb.rel.findOther')} />
      <ProblemAlert error={add.error} title={t('cmdb.rel.notAdded')} />
      {search.length >= 2 && !found.isPending && others.length === 0 && (
        <p className="muted">{t('cmdb.rel.noItems')}</p>
      )}
      <ul className="plain-list" aria-label={t('cmdb.rel.found')}>
        {others.map((c) => (
          <li key={c.id}>
            <span>
              {c.name}{' '}
              <span className="muted">
                (<ClassName classKey={c.classKey} />)
              </span>
            </span>
            <Button
              size="sm"
              aria-label={t('cmdb.rel.addLabel', { verb: relationshipLabel(t, type), name: c.name })}
              busy={add.isPending && add.variables?.toId === c.id}
              onClick={() => add.mutate({ type, toId: c.id }, { onSuccess: () => setQ('') })}
            >
              {t('cmdb.add')}
            </Button>
          </li>
        ))}
      </ul>
    </form>
  );
}

/** An item's relationships, both directions, each with the other item linked; add and remove. */
export function RelationshipsPanel({ ci }: { ci: Ci }) {
  const t = useT();
  const rels = useRelationships(ci.id);
  const remove = useRemoveRelationship(ci.id);
  const [adding, setAdding] = useState(false);
  return (
    <Panel
      title={t('cmdb.relationships')}
      actions={
        !adding && (
          <Button size="sm" variant="ghost" onClick={() => setAdding(true)}>
            {t('cmdb.add')}
          </Button>
        )
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={rels.error ?? remove.error} />
        {rels.isPending ? (
          <Loading />
        ) : (rels.data ?? []).length === 0 ? (
          <p className="muted">{t('cmdb.rel.none')}</p>
        ) : (
          <ul className="plain-list" aria-label={t('cmdb.relationships')}>
            {(rels.data ?? []).map((r) => {
              const outgoing = r.fromId === ci.id;
              const verb = relationshipLabel(t, r.type, outgoing ? 'out' : 'in');
              return (
                <li key={r.id}>
                  <span>
                    <span className="muted">{verb}</span>{' '}
                    <Link to={itemPath(r.other.id)}>{r.other.name}</Link>
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('cmdb.rel.removeLabel', { verb, name: r.other.name })}
                    busy={remove.isPending && remove.variables === r.id}
                    onClick={() => remove.mutate(r.id)}
                  >
                    {t('cmdb.remove')}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        {rels.hasNextPage && (
          <div>
            <Button size="sm" busy={rels.isFetchingNextPage} onClick={() => void rels.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          </div>
        )}
        {adding && (
          <>
            <AddRelationship ci={ci} />
            <div>
              <Button size="sm" variant="ghost" onClick={() => setAdding(false)}>
                {t('cmdb.done')}
              </Button>
            </div>
          </>
        )}
      </div>
    </Panel>
  );
}

/** The open tickets about an item, linked to their pages. */
export function TicketsPanel({ id }: { id: string }) {
  const t = useT();
  const tickets = useCiTickets(id);
  return (
    <Panel title={t('cmdb.openTickets')}>
      {tickets.isPending ? (
        <Loading />
      ) : tickets.isError ? (
        <ErrorAlert error={tickets.error} title={t('cmdb.ticketsNotLoaded')} />
      ) : tickets.data.length === 0 ? (
        <p className="muted">{t('cmdb.noOpenTickets')}</p>
      ) : (
        <ul className="plain-list" aria-label={t('cmdb.openTickets')}>
          {tickets.data.map((ticket) => (
            <li key={ticket.id}>
              <Link to={`/tickets/${encodeURIComponent(ticket.id)}`}>
                {ticket.key} {ticket.title}
              </Link>
              <StatusBadge ticket={ticket} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
