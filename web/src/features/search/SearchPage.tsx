import { Link, useSearchParams } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { statusLabel } from '../cmdb/labels';
import { useKindLabel } from '../knowledge/labels';
import { STATUS_LABEL } from '../tickets/labels';
import { capitalise, Empty, ErrorAlert, Loading, PageHeader, Panel, priorityName } from '../../ui';
import { ticketPath, useSearch } from './api';
import { useT } from '../../i18n';

/** What the global search found: tickets, people, items and articles, each a short list of the best matches. */
export function SearchPage() {
  const t = useT();
  const kindLabel = useKindLabel();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const user = useCurrentUser();
  const result = useSearch(q);
  const staff = user.role !== 'requester';

  return (
    <>
      <PageHeader title={q ? t('search.resultsFor', { q }) : t('search.title')} />
      {q === '' && <Empty>{t('search.typeSomething')}</Empty>}
      {result.isPending && q !== '' && <Loading label={t('search.searching')} />}
      {result.isError && <ErrorAlert error={result.error} />}
      {result.data && (
        <div className="search-results">
          <Panel title={t('search.tickets')}>
            {result.data.tickets.length === 0 ? (
              <Empty>{t('search.noTickets')}</Empty>
            ) : (
              <ul className="search-list">
                {result.data.tickets.map((ticket) => (
                  <li key={ticket.id}>
                    <Link to={ticketPath(user.role, ticket.id)}>
                      <strong>{ticket.key}</strong> {ticket.title}
                    </Link>
                    <span className="muted">
                      {' '}
                      · {t(STATUS_LABEL[ticket.status])} · {priorityName(t, ticket.priority)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          {staff && (
            <Panel title={t('search.people')}>
              {result.data.people.length === 0 ? (
                <Empty>{t('search.noPeople')}</Empty>
              ) : (
                <ul className="search-list">
                  {result.data.people.map((p) => (
                    <li key={p.id}>
                      {user.role === 'admin' ? <Link to={`/users/${p.id}`}>{p.name}</Link> : p.name}
                      <span className="muted"> · {t(`role.${p.role}`)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
          )}
          {staff && (
            <Panel title={t('search.items')}>
              {result.data.items.length === 0 ? (
                <Empty>{t('search.noItems')}</Empty>
              ) : (
                <ul className="search-list">
                  {result.data.items.map((i) => (
                    <li key={i.id}>
                      <Link to={`/inventory/${i.id}`}>{i.name}</Link>
                      <span className="muted">
                        {' '}
                        · {capitalise(i.classKey.replaceAll('_', ' '))} · {statusLabel(t, i.status)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
          )}
          <Panel title={t('search.articles')}>
            {result.data.articles.length === 0 ? (
              <Empty>{t('search.noArticles')}</Empty>
            ) : (
              <ul className="search-list">
                {result.data.articles.map((a) => (
                  <li key={a.id}>
                    <Link to={`/kb/${a.id}`}>
                      <strong>{a.key}</strong> {a.title}
                    </Link>
                    <span className="muted"> · {kindLabel(a.kind)}</span>
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
