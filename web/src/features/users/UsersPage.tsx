import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Role } from '@contracts';
import {
  Badge,
  Button,
  ButtonLink,
  Empty,
  ErrorAlert,
  Loading,
  Notice,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  capitalise,
  useDebounced,
} from '../../ui';
import { useAllTeams } from '../teams/api';
import { ROLE_OPTIONS, useUserList, type UserFilters } from './api';

/** The user list: search, role and status filters, and cursor paging with "Load more". */
export function UsersPage() {
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<UserFilters['active']>('');
  const filters: UserFilters = { q: useDebounced(q.trim()), role, active };
  const list = useUserList(filters);
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];
  const teams = useAllTeams();
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Steward."
        actions={
          <ButtonLink to="/users/new" variant="primary">
            New user
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
            placeholder="Name or e-mail"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">All roles</option>
            {ROLE_OPTIONS.map((r) => (
              <option key={r} value={r}>
                {capitalise(r)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Status"
            value={active}
            onChange={(e) => setActive(e.target.value as UserFilters['active'])}
          >
            <option value="">Any status</option>
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
          </SelectField>
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <div className="panel-body">
            <ErrorAlert error={list.error} title="The users could not be loaded" />
          </div>
        ) : users.length === 0 ? (
          <Empty>No users match these filters.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="hide-narrow">
                    E-mail
                  </th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="hide-narrow">
                    Teams
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td className="cell-strong">
                      <Link to={`/users/${u.id}`}>{u.name}</Link>
                    </td>
                    <td className="hide-narrow">{u.email}</td>
                    <td>{capitalise(u.role)}</td>
                    <td>
                      {u.active ? (
                        <Badge tone="success">Active</Badge>
                      ) : (
                        <Badge tone="danger">Deactivated</Badge>
                      )}
                    </td>
                    <td className="hide-narrow muted">
                      {u.teamIds.length === 0 ? '—' : u.teamIds.map((t) => teamName.get(t) ?? '…').join(', ')}
                    </td>
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
