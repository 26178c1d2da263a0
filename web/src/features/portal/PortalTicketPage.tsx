import { useParams } from 'react-router-dom';
import type { Ticket } from '@contracts';
import { Alert, ConfirmButton, ErrorAlert, Panel } from '../../ui';
import { useTransition } from '../tickets/api';
import { Markdown } from '../../ui/Markdown';
import { Composer } from '../tickets/Composer';
import { isFinal, OPEN_STATUSES } from '../tickets/labels';
import { TicketTimeline } from '../tickets/Timeline';
import { Rating, TicketLoader } from '../tickets/TicketLoader';
import { AttachmentsPanel } from '../tickets/AttachmentsPanel';
import { ResolutionPanel } from './ResolutionPanel';
import { RestorePanel } from './RestorePanel';
import { TicketArticles } from './TicketArticles';
import { useT } from '../../i18n';

/** Lets the requester cancel their own open ticket (two clicks), e.g. when the problem went away. */
function Withdraw({ ticket, etag }: { ticket: Ticket; etag: string }) {
  const t = useT();
  const move = useTransition(ticket.id);
  return (
    <div className="withdraw">
      <ErrorAlert error={move.error} title={t('portalTicket.notCancelled')} />
      <span className="muted">{t('portalTicket.notNeeded')}</span>
      <ConfirmButton
        confirmLabel={t('portalTicket.confirmCancel')}
        busy={move.isPending}
        onConfirm={() => move.mutate({ body: { status: 'cancelled' }, etag })}
      >
        {t('portalTicket.cancel')}
      </ConfirmButton>
    </div>
  );
}

/**
 * A requester's view of their ticket: the description, the public conversation (the API never sends internal
 * notes to a requester), a reply box, and on a resolved ticket the confirm / rate / reopen choice.
 */
export function PortalTicketPage() {
  const t = useT();
  const { id = '' } = useParams();
  return (
    <TicketLoader id={id} back={{ to: '/portal', label: t('portal.myTickets') }} showPriority={false}>
      {({ ticket, etag }) => (
        <div className="stack portal-ticket">
          {ticket.status === 'resolved' && <ResolutionPanel ticket={ticket} />}
          {ticket.status === 'closed' && (
            <Alert tone="success" title={t('portalTicket.closed')}>
              {ticket.csatRating !== null ? <Rating ticket={ticket} /> : t('portalTicket.thanks')}
            </Alert>
          )}
          <Panel title={t('portalTicket.description')}>
            <Markdown source={ticket.description} />
          </Panel>
          <RestorePanel ticketId={ticket.id} />
          <TicketArticles ticketId={ticket.id} />
          <Panel title={t('portalTicket.conversation')}>
            <TicketTimeline id={ticket.id} names={false} />
          </Panel>
          <AttachmentsPanel ticketId={ticket.id} final={isFinal(ticket.status)} agent={false} />
          {!isFinal(ticket.status) && (
            <Panel title={t('portalTicket.reply')}>
              <Composer ticketId={ticket.id} allowInternal={false} />
            </Panel>
          )}
          {OPEN_STATUSES.includes(ticket.status) && <Withdraw ticket={ticket} etag={etag} />}
        </div>
      )}
    </TicketLoader>
  );
}
