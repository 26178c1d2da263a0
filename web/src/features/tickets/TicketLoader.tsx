import type { ReactNode } from 'react';
import type { Ticket } from '@contracts';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';
import { ErrorAlert, Loading, Notice, PageHeader, formatDateTime } from '../../ui';
import { useTicket } from './api';
import { PriorityBadge, StatusBadge } from './parts';
import { TYPE_LABEL } from './labels';

/** What a ticket page renders once the ticket is loaded. */
export interface Loaded {
  ticket: Ticket;
  /** The ETag to send with an edit (If-Match). */
  etag: string;
  reload: () => void;
}

/**
 * Loads a ticket and renders the page's header (number, title, status, priority), or the loading or error
 * state; a ticket the user may not see is "not found", as the API says.
 */
export function TicketLoader({
  id,
  back,
  showPriority,
  children,
}: {
  id: string;
  back: { to: string; label: string };
  showPriority: boolean;
  children: (loaded: Loaded) => ReactNode;
}) {
  const t = useT();
  const q = useTicket(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    return (
      <>
        <PageHeader title={t('ticketPage.ticket')} back={back} />
        <ErrorAlert
          error={q.error}
          title={isApiError(q.error, 'not_found') ? t('ticketPage.notFound') : t('ticketPage.loadFailed')}
        />
      </>
    );
  }
  const { data: ticket, etag } = q.data;
  return (
    <>
      <PageHeader
        title={`${ticket.key} · ${ticket.title}`}
        back={back}
        description={
          <span className="meta">
            <StatusBadge ticket={ticket} />
            {showPriority && <PriorityBadge ticket={ticket} />}
            <span>{t(TYPE_LABEL[ticket.type])}</span>
            <span>{t('ticketPage.opened', { when: formatDateTime(ticket.createdAt) })}</span>
            <span>{t('ticketPage.updated', { when: formatDateTime(ticket.updatedAt) })}</span>
          </span>
        }
      />
      <Notice />
      {children({ ticket, etag: etag ?? `"v${ticket.version}"`, reload: () => void q.refetch() })}
    </>
  );
}

/** The requester's rating of a closed ticket, as stars and their comment. */
export function Rating({ ticket }: { ticket: Ticket }) {
  const t = useT();
  if (ticket.csatRating === null) return null;
  return (
    <div className="rating-view" aria-label={t('ticketPage.rated', { n: ticket.csatRating })}>
      <span className="stars" aria-hidden="true">
        {'★'.repeat(ticket.csatRating)}
        {'☆'.repeat(5 - ticket.csatRating)}
      </span>
      <span>{ticket.csatRating}/5</span>
      {ticket.csatComment !== null && ticket.csatComment !== '' && (
        <blockquote className="rating-comment">{ticket.csatComment}</blockquote>
      )}
    </div>
  );
}
