import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Team } from '@contracts';
import { ButtonLink, ListPage, ListTable, SearchField, useDebounced, type Column } from '../../ui';
import { useTeamList } from './api';

const columns: Column<Team>[] = [
  { header: 'Name', className: 'cell-strong', cell: (t) => <Link to={`/teams/${t.id}`}>{t.name}</Link> },
  {
    header: 'Description',
    wide: true,
    className: 'muted',
    cell: (t) => (t.description === '' ? '—' : t.description),
  },
  { header: 'Members', cell: (t) => t.memberIds.length },
];

/** The team list with search and "Load more". */
export function TeamsPage() {
  const [q, setQ] = useState('');
  const list = useTeamList(useDebounced(q.trim()));
  return (
    <ListPage
      title="Teams"
      description="Groups of agents that tickets can be assigned to."
      actions={
        <ButtonLink to="/teams/new" variant="primary">
          New team
        </ButtonLink>
      }
      toolbar={<SearchField placeholder="Team name" value={q} onChange={setQ} />}
    >
      <ListTable
        query={list}
        label="Teams"
        noun="teams"
        empty={q === '' ? 'No teams yet.' : 'No teams match this search.'}
        columns={columns}
        rowKey={(t) => t.id}
      />
    </ListPage>
  );
}
