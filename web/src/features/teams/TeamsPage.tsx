import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Team } from '@contracts';
import {
  ButtonLink,
  formatNumber,
  ListPage,
  ListTable,
  SearchField,
  useDebounced,
  type Column,
} from '../../ui';
import { useTeamList } from './api';
import { useT } from '../../i18n';

/** The team list with search and "Load more". */
export function TeamsPage() {
  const t = useT();
  const [q, setQ] = useState('');
  const list = useTeamList(useDebounced(q.trim()));
  const columns: Column<Team>[] = [
    {
      header: t('common.name'),
      className: 'cell-strong',
      cell: (team) => <Link to={`/teams/${team.id}`}>{team.name}</Link>,
    },
    {
      header: t('teams.descriptionColumn'),
      wide: true,
      className: 'muted',
      cell: (team) => (team.description === '' ? '—' : team.description),
    },
    { header: t('teams.members'), cell: (team) => formatNumber(team.memberIds.length) },
  ];
  return (
    <ListPage
      title={t('teams.title')}
      description={t('teams.description')}
      actions={
        <ButtonLink to="/teams/new" variant="primary">
          {t('teams.new')}
        </ButtonLink>
      }
      toolbar={<SearchField placeholder={t('teams.searchPlaceholder')} value={q} onChange={setQ} />}
    >
      <ListTable
        query={list}
        label={t('teams.title')}
        noun={t('teams.noun')}
        empty={q === '' ? t('teams.none') : t('teams.noMatch')}
        columns={columns}
        rowKey={(team) => team.id}
      />
    </ListPage>
  );
}
