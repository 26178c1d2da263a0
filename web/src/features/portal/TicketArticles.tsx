import { Link } from 'react-router-dom';
import { useT } from '../../i18n';
import { Panel } from '../../ui';
import { articlePath } from '../knowledge/api';
import { useTicketArticles } from '../knowledge/flowApi';

/**
 * The articles linked to a requester's ticket that they may read (the API leaves out drafts, agents-only and
 * retired ones); nothing at all when there are none.
 */
export function TicketArticles({ ticketId }: { ticketId: string }) {
  const t = useT();
  const list = useTicketArticles(ticketId);
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Panel title={t('portalTicket.articlesTitle')}>
      <ul className="ticket-articles">
        {items.map((a) => (
          <li key={a.id}>
            <Link to={articlePath(a.id)}>
              <strong>{a.key}</strong> {a.title}
            </Link>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
