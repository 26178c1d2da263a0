import { Link } from 'react-router-dom';
import type { Ticket } from '@contracts';
import { ButtonLink, ListPage, ListTable, formatDateTime, type Column } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useTicketList } from '../tickets/api';
import { StatusBadge } from '../tickets/parts';
import { useT } from '../../i18n';

/** The self-service portal's home: the two ways to ask for help, and "My tickets". */
export function PortalPage() {
  const t = useT();
  const me = useCurrentUser();
  const list = useTicketList({ requesterId: me.id, sort: 'updated' });
  const columns: Column<Ticket>[] = [
    {
      header: t('portal.number'),
      className: 'cell-strong mono',
      cell: (ticket) => <Link to={`/portal/tickets/${ticket.id}`}>{ticket.key}</Link>,
    },
    {
      header: t('portal.subject'),
      className: 'cell-title',
      cell: (ticket) => <Link to={`/portal/tickets/${ticket.id}`}>{ticket.title}</Link>,
    },
    { header: t('common.status'), cell: (ticket) => <StatusBadge ticket={ticket} /> },
    {
      header: t('portal.lastUpdate'),
      className: 'cell-when',
      cell: (ticket) => formatDateTime(ticket.updatedAt),
    },
  ];
  return (
    <ListPage
      title={t('portal.title')}
      description={t('portal.description')}
      actions={
        <>
          <ButtonLink to="/portal/new?type=incident" variant="primary">
            {t('portal.reportProblem')}
          </ButtonLink>
          <ButtonLink to="/portal/new?type=request">{t('portal.requestSomething')}</ButtonLink>
          <ButtonLink to="/portal/restore">{t('portal.filesBack')}</ButtonLink>
        </>
      }
    >
      <h2 className="panel-title-inline">{t('portal.myTickets')}</h2>
      <ListTable
        query={list}
        label={t('portal.myTickets')}
        noun={t('portal.noun')}
        empty={t('portal.empty')}
        columns={columns}
        rowKey={(ticket) => ticket.id}
      />
    </ListPage>
  );
}
