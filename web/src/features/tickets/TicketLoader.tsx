import type { ReactNode } from 'react';
import type { Ticket } from '@contracts';
import { isApiError } from '../../api/client';
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
  const q = useTicket(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    return (
      <>
        <PageHeader title="Ticket" back={back} />
        <ErrorAlert
          error={q.error}
          title={
            isApiError(q.error, 'not_found') ? 'This ticket does not exist' : 'The ticket could not be loaded'
          }
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
            <span>{TYPE_LABEL[ticket.type]}</span>
            <span>Opened {formatDateTime(ticket.createdAt)}</span>
            <span>Updated {formatDateTime(ticket.updatedAt)}</span>
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
  if (ticket.csatRating === null) return null;
  return (
    <div className="rating-view" aria-label={`Rated ${ticket.csatRating} out of 5`}>
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
