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
  useDebounced,
  type Column,
} from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUserList, type UserFilters } from './api';
import { RoleOptions } from './RoleOptions';
import { useT } from '../../i18n';

/** The user list: search, role and status filters, and cursor paging with "Load more". */
export function UsersPage() {
  const t = useT();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<UserFilters['active']>('');
  const filters: UserFilters = { q: useDebounced(q.trim()), role, active };
  const list = useUserList(filters);
  const teams = useAllTeams();
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const columns: Column<User>[] = [
    {
      header: t('common.name'),
      className: 'cell-strong',
      cell: (u) => <Link to={`/users/${u.id}`}>{u.name}</Link>,
    },
    { header: t('common.email'), wide: true, cell: (u) => u.email },
    { header: t('common.role'), cell: (u) => t(`role.${u.role}`) },
    {
      header: t('common.status'),
      cell: (u) =>
        u.active ? (
          <Badge tone="success">{t('common.active')}</Badge>
        ) : (
          <Badge tone="danger">{t('users.deactivated')}</Badge>
        ),
    },
    {
      header: t('users.teams'),
      wide: true,
      className: 'muted',
      cell: (u) => (u.teamIds.length === 0 ? '—' : u.teamIds.map((t) => teamName.get(t) ?? '…').join(', ')),
    },
  ];

  return (
    <ListPage
      title={t('users.title')}
      description={t('users.description')}
      actions={
        <ButtonLink to="/users/new" variant="primary">
          {t('users.new')}
        </ButtonLink>
      }
      toolbar={
        <>
          <SearchField placeholder={t('users.searchPlaceholder')} value={q} onChange={setQ} />
          <SelectField
            label={t('common.role')}
            value={role}
            onChange={(e) => setRole(e.target.value as Role | '')}
          >
            <option value="">{t('users.allRoles')}</option>
            <RoleOptions />
          </SelectField>
          <SelectField
            label={t('common.status')}
            value={active}
            onChange={(e) => setActive(e.target.value as UserFilters['active'])}
          >
            <option value="">{t('users.anyStatus')}</option>
            <option value="true">{t('common.active')}</option>
            <option value="false">{t('users.deactivated')}</option>
          </SelectField>
        </>
      }
    >
      <ListTable
        query={list}
        label={t('users.title')}
        noun={t('users.noun')}
        empty={t('users.empty')}
        columns={columns}
        rowKey={(u) => u.id}
      />
    </ListPage>
  );
}
