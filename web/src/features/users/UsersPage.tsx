import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Role, User } from '@contracts';
import {
  Badge,
  ButtonLink,
  ListPage,
  ListTable,
  SelectField,
  SearchField,
  capitalise,
  useDebounced,
  type Column,
} from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUserList, type UserFilters } from './api';
import { RoleOptions } from './RoleOptions';

/** The user list: search, role and status filters, and cursor paging with "Load more". */
export function UsersPage() {
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<UserFilters['active']>('');
  const filters: UserFilters = { q: useDebounced(q.trim()), role, active };
  const list = useUserList(filters);
  const teams = useAllTeams();
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const columns: Column<User>[] = [
    { header: 'Name', className: 'cell-strong', cell: (u) => <Link to={`/users/${u.id}`}>{u.name}</Link> },
    { header: 'E-mail', wide: true, cell: (u) => u.email },
    { header: 'Role', cell: (u) => capitalise(u.role) },
    {
      header: 'Status',
      cell: (u) =>
        u.active ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Deactivated</Badge>,
    },
    {
      header: 'Teams',
      wide: true,
      className: 'muted',
      cell: (u) => (u.teamIds.length === 0 ? '—' : u.teamIds.map((t) => teamName.get(t) ?? '…').join(', ')),
    },
  ];

  return (
    <ListPage
      title="Users"
      description="Everyone who can sign in to Steward."
      actions={
        <ButtonLink to="/users/new" variant="primary">
          New user
        </ButtonLink>
      }
      toolbar={
        <>
          <SearchField placeholder="Name or e-mail" value={q} onChange={setQ} />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">All roles</option>
            <RoleOptions />
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
        </>
      }
    >
      <ListTable
        query={list}
        label="Users"
        noun="users"
        empty="No users match these filters."
        columns={columns}
        rowKey={(u) => u.id}
      />
    </ListPage>
  );
}
