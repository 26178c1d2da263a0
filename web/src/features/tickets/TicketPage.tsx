import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { Ticket } from '@contracts';
import { usePresence } from '../live/live';
import { useT } from '../../i18n';
import { Panel, formatDateTime } from '../../ui';
import { Composer } from './Composer';
import { DescriptionPanel } from './DescriptionPanel';
import { TicketFieldsPanel } from './fields';
import { isFinal } from './labels';
import { TICKET_TRANSITIONS } from '@contracts';
import { CategoryPath, UserName } from './parts';
import { FieldActions, StatusActions } from './TicketActions';
import { Rating, TicketLoader } from './TicketLoader';
import { TicketTimeline } from './Timeline';
import { WatchersPanel } from './WatchersPanel';
import { SlaPanel } from './SlaParts';
import { AttachmentsPanel } from './AttachmentsPanel';
import { LinksPanel } from './LinksPanel';
import { RestorePanel } from '../portal/RestorePanel';
import { SecurityPanel } from '../incidents/SecurityPanel';
import { TicketArticlesPanel } from '../knowledge/TicketArticlesPanel';

/** The agent's ticket page: description, merged timeline, reply or note, and the quick actions beside. */
export function TicketPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [replying, setReplying] = useState(false);
  return (
    <TicketLoader id={id} back={{ to: '/tickets', label: t('nav.queue') }} showPriority>
      {({ ticket, etag, reload }) => (
        <div className="ticket-layout">
          <div className="stack">
            <PresenceNote ticketId={ticket.id} replying={replying} />
            <DescriptionPanel ticket={ticket} etag={etag} onReload={reload} />
            <TicketFieldsPanel ticketId={ticket.id} editable={!isFinal(ticket.status)} />
            <RestorePanel ticketId={ticket.id} />
            {ticket.csatRating !== null && (
              <Panel title={t('ticketPage.satisfaction')}>
                <Rating ticket={ticket} />
              </Panel>
            )}
            <Panel title={t('ticketPage.activity')}>
              <TicketTimeline id={ticket.id} />
            </Panel>
            <AttachmentsPanel ticketId={ticket.id} final={isFinal(ticket.status)} agent />
            {!isFinal(ticket.status) && (
              <Panel title={t('ticketPage.respond')}>
                <Composer
                  ticketId={ticket.id}
                  allowInternal
                  canResolve={canResolve(ticket)}
                  onReplying={setReplying}
                />
              </Panel>
            )}
          </div>
          <aside className="stack" aria-label={t('ticketPage.actions')}>
            <StatusActions ticket={ticket} etag={etag} onReload={reload} />
            <FieldActions key={ticket.version} ticket={ticket} etag={etag} onReload={reload} />
            <Panel title={t('ticketPage.people')}>
              <dl className="facts">
                <dt>{t('ticketPage.requester')}</dt>
                <dd>
                  <UserName id={ticket.requesterId} />
                </dd>
                <dt>{t('ticketPage.category')}</dt>
                <dd>
                  <CategoryPath id={ticket.categoryId} />
                </dd>
                <dt>{t('ticketPage.firstResponse')}</dt>
                <dd>{formatDateTime(ticket.firstResponseAt)}</dd>
                <dt>{t('ticketPage.resolved')}</dt>
                <dd>{formatDateTime(ticket.resolvedAt)}</dd>
              </dl>
            </Panel>
            <SlaPanel ticketId={ticket.id} />
            <WatchersPanel ticketId={ticket.id} final={isFinal(ticket.status)} />
            <LinksPanel ticket={ticket} final={isFinal(ticket.status)} />
            <TicketArticlesPanel ticket={ticket} />
            <SecurityPanel ticket={ticket} onReload={reload} />
          </aside>
        </div>
      )}
    </TicketLoader>
  );
}

/** Resolving is one move away (a new ticket goes through "in progress" on the way). */
function canResolve(t: Ticket): boolean {
  return t.status === 'new' || TICKET_TRANSITIONS[t.status].includes('resolved');
}

/** "Sam Agent is replying": the other agents on this ticket now (heartbeats, kept current by live events). */
function PresenceNote({ ticketId, replying }: { ticketId: string; replying: boolean }) {
  const t = useT();
  const presence = usePresence(ticketId, replying);
  const people = presence.data?.people ?? [];
  return (
    <div role="status" aria-live="polite">
      {people.length > 0 && (
        <p className="presence">
          {people
            .map((p) =>
              t(p.state === 'replying' ? 'presence.replying' : 'presence.viewing', { name: p.name }),
            )
            .join(' · ')}
        </p>
      )}
    </div>
  );
}
