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
import { RELATIONSHIP_LABEL, RELATIONSHIP_TYPES } from './labels';
import { ClassName, ProblemAlert, itemPath } from './parts';

/** Adding a relationship "this item <type> that item", the other item found by a search. */
function AddRelationship({ ci }: { ci: Ci }) {
  const [type, setType] = useState<RelationshipType>('depends_on');
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const found = useCiSearch(search);
  const add = useAddRelationship(ci.id);
  const others = (found.data ?? []).filter((c) => c.id !== ci.id);
  return (
    <form className="stack-sm" aria-label="Add a relationship" onSubmit={(e) => e.preventDefault()}>
      <SelectField
        label="This item…"
        value={type}
        onChange={(e) => setType(e.target.value as RelationshipType)}
      >
        {RELATIONSHIP_TYPES.map((t) => (
          <option key={t} value={t}>
            {RELATIONSHIP_LABEL[t].out}
          </option>
        ))}
      </SelectField>
      <SearchField value={q} onChange={setQ} placeholder="Find the other item by name, tag or serial" />
      <ProblemAlert error={add.error} title="The relationship was not added" />
      {search.length >= 2 && !found.isPending && others.length === 0 && (
        <p className="muted">No items match.</p>
      )}
      <ul className="plain-list" aria-label="Items found">
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
              aria-label={`Add: this item ${RELATIONSHIP_LABEL[type].out} ${c.name}`}
              busy={add.isPending && add.variables?.toId === c.id}
              onClick={() => add.mutate({ type, toId: c.id }, { onSuccess: () => setQ('') })}
            >
              Add
            </Button>
          </li>
        ))}
      </ul>
    </form>
  );
}

/** An item's relationships, both directions, each with the other item linked; add and remove. */
export function RelationshipsPanel({ ci }: { ci: Ci }) {
  const rels = useRelationships(ci.id);
  const remove = useRemoveRelationship(ci.id);
  const [adding, setAdding] = useState(false);
  return (
    <Panel
      title="Relationships"
      actions={
        !adding && (
          <Button size="sm" variant="ghost" onClick={() => setAdding(true)}>
            Add
          </Button>
        )
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={rels.error ?? remove.error} />
        {rels.isPending ? (
          <Loading />
        ) : (rels.data ?? []).length === 0 ? (
          <p className="muted">This item is not related to any other.</p>
        ) : (
          <ul className="plain-list" aria-label="Relationships">
            {(rels.data ?? []).map((r) => {
              const outgoing = r.fromId === ci.id;
              const verb = outgoing ? RELATIONSHIP_LABEL[r.type].out : RELATIONSHIP_LABEL[r.type].in;
              return (
                <li key={r.id}>
                  <span>
                    <span className="muted">{verb}</span>{' '}
                    <Link to={itemPath(r.other.id)}>{r.other.name}</Link>
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove: ${verb} ${r.other.name}`}
                    busy={remove.isPending && remove.variables === r.id}
                    onClick={() => remove.mutate(r.id)}
                  >
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        {rels.hasNextPage && (
          <div>
            <Button size="sm" busy={rels.isFetchingNextPage} onClick={() => void rels.fetchNextPage()}>
              Load more
            </Button>
          </div>
        )}
        {adding && (
          <>
            <AddRelationship ci={ci} />
            <div>
              <Button size="sm" variant="ghost" onClick={() => setAdding(false)}>
                Done
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
  const tickets = useCiTickets(id);
  return (
    <Panel title="Open tickets">
      {tickets.isPending ? (
        <Loading />
      ) : tickets.isError ? (
        <ErrorAlert error={tickets.error} title="The tickets could not be loaded" />
      ) : tickets.data.length === 0 ? (
        <p className="muted">No open tickets about this item.</p>
      ) : (
        <ul className="plain-list" aria-label="Open tickets">
          {tickets.data.map((t) => (
            <li key={t.id}>
              <Link to={`/tickets/${encodeURIComponent(t.id)}`}>
                {t.key} {t.title}
              </Link>
              <StatusBadge ticket={t} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
