import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Button,
  ButtonLink,
  Empty,
  ErrorAlert,
  Loading,
  Notice,
  PageHeader,
  Panel,
  TextField,
  useDebounced,
} from '../../ui';
import { useTeamList } from './api';

/** The team list with search and "Load more". */
export function TeamsPage() {
  const [q, setQ] = useState('');
  const list = useTeamList(useDebounced(q.trim()));
  const teams = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Teams"
        description="Groups of agents that tickets can be assigned to."
        actions={
          <ButtonLink to="/teams/new" variant="primary">
            New team
          </ButtonLink>
        }
      />
      <Notice />
      <Panel padded={false}>
        <div className="toolbar" role="search">
          <TextField
            className="grow"
            label="Search"
            type="search"
            placeholder="Team name"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <div className="panel-body">
            <ErrorAlert error={list.error} title="The teams could not be loaded" />
          </div>
        ) : teams.length === 0 ? (
          <Empty>{q === '' ? 'No teams yet.' : 'No teams match this search.'}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Teams">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="hide-narrow">
                    Description
                  </th>
                  <th scope="col">Members</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((t) => (
                  <tr key={t.id}>
                    <td className="cell-strong">
                      <Link to={`/teams/${t.id}`}>{t.name}</Link>
                    </td>
                    <td className="hide-narrow muted">{t.description === '' ? '—' : t.description}</td>
                    <td>{t.memberIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.hasNextPage && (
          <div className="table-footer">
            <Button busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </div>
        )}
      </Panel>
    </>
  );
}
