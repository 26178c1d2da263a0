import { Link } from 'react-router-dom';
import type { Ticket } from '@contracts';
import { ButtonLink, ListPage, ListTable, formatDateTime, type Column } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useTicketList } from '../tickets/api';
import { StatusBadge } from '../tickets/parts';

const columns: Column<Ticket>[] = [
  {
    header: 'Number',
    className: 'cell-strong mono',
    cell: (t) => <Link to={`/portal/tickets/${t.id}`}>{t.key}</Link>,
  },
  {
    header: 'Subject',
    className: 'cell-title',
    cell: (t) => <Link to={`/portal/tickets/${t.id}`}>{t.title}</Link>,
  },
  { header: 'Status', cell: (t) => <StatusBadge ticket={t} /> },
  { header: 'Last update', className: 'cell-when', cell: (t) => formatDateTime(t.updatedAt) },
];

/** The self-service portal's home: the two ways to ask for help, and "My tickets". */
export function PortalPage() {
  const me = useCurrentUser();
  const list = useTicketList({ requesterId: me.id, sort: 'updated' });
  return (
    <ListPage
      title="Help & requests"
      description="Tell IT what is broken or what you need, and follow your tickets here."
      actions={
        <>
          <ButtonLink to="/portal/new?type=incident" variant="primary">
            Report a problem
          </ButtonLink>
          <ButtonLink to="/portal/new?type=request">Request something</ButtonLink>
          <ButtonLink to="/portal/restore">Get my files back</ButtonLink>
        </>
      }
    >
      <h2 className="panel-title-inline">My tickets</h2>
      <ListTable
        query={list}
        label="My tickets"
        noun="tickets"
        empty="You have not opened any tickets yet."
        columns={columns}
        rowKey={(t) => t.id}
      />
    </ListPage>
  );
}
