import { Link, useSearchParams } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { STATUS_LABEL as ITEM_STATUS } from '../cmdb/labels';
import { KIND_LABEL } from '../knowledge/labels';
import { STATUS_LABEL } from '../tickets/labels';
import { capitalise, Empty, ErrorAlert, Loading, PageHeader, Panel, priorityLabel } from '../../ui';
import { ticketPath, useSearch } from './api';

/** What the global search found: tickets, people, items and articles, each a short list of the best matches. */
export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const user = useCurrentUser();
  const result = useSearch(q);
  const staff = user.role !== 'requester';

  return (
    <>
      <PageHeader title={q ? `Search results for “${q}”` : 'Search'} />
      {q === '' && <Empty>Type a word or a ticket number (INC-42) into the search box.</Empty>}
      {result.isPending && q !== '' && <Loading label="Searching…" />}
      {result.isError && <ErrorAlert error={result.error} />}
      {result.data && (
        <div className="search-results">
          <Panel title="Tickets">
            {result.data.tickets.length === 0 ? (
              <Empty>No tickets match.</Empty>
            ) : (
              <ul className="search-list">
                {result.data.tickets.map((t) => (
                  <li key={t.id}>
                    <Link to={ticketPath(user.role, t.id)}>
                      <strong>{t.key}</strong> {t.title}
                    </Link>
                    <span className="muted">
                      {' '}
                      · {STATUS_LABEL[t.status]} · {priorityLabel(t.priority)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          {staff && (
            <Panel title="People">
              {result.data.people.length === 0 ? (
                <Empty>No people match.</Empty>
              ) : (
                <ul className="search-list">
                  {result.data.people.map((p) => (
                    <li key={p.id}>
                      {user.role === 'admin' ? <Link to={`/users/${p.id}`}>{p.name}</Link> : p.name}
                      <span className="muted"> · {capitalise(p.role)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
          )}
          {staff && (
            <Panel title="Items">
              {result.data.items.length === 0 ? (
                <Empty>No items match.</Empty>
              ) : (
                <ul className="search-list">
                  {result.data.items.map((i) => (
                    <li key={i.id}>
                      <Link to={`/inventory/${i.id}`}>{i.name}</Link>
                      <span className="muted">
                        {' '}
                        · {capitalise(i.classKey.replaceAll('_', ' '))} · {ITEM_STATUS[i.status]}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
          )}
          <Panel title="Articles">
            {result.data.articles.length === 0 ? (
              <Empty>No articles match.</Empty>
            ) : (
              <ul className="search-list">
                {result.data.articles.map((a) => (
                  <li key={a.id}>
                    <Link to={`/kb/${a.id}`}>
                      <strong>{a.key}</strong> {a.title}
                    </Link>
                    <span className="muted"> · {KIND_LABEL[a.kind]}</span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        </div>
      )}
    </>
  );
}
