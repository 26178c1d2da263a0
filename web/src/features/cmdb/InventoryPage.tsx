import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Ci } from '@contracts';
import {
  ButtonLink,
  CheckboxField,
  ListPage,
  ListTable,
  Options,
  SearchField,
  SelectField,
  TextField,
  formatDate,
  useDebounced,
  type Column,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { TeamName, TeamOptions } from '../tickets/parts';
import { useCiList, useClasses, type CiFilter } from './api';
import { useT } from '../../i18n';
import { KINDS, STATUSES, kindLabel, statusLabel } from './labels';
import { CiStatusBadge, ClassName, itemPath } from './parts';
import './cmdb.css';

/** Links from the inventory to its reports and, for the roles that may, its administration. */
export function InventoryActions() {
  const t = useT();
  const user = useCurrentUser();
  return (
    <>
      <ButtonLink to="/inventory/licences">{t('cmdb.licences')}</ButtonLink>
      <ButtonLink to="/inventory/csv">{t('cmdb.importExport')}</ButtonLink>
      {user.role === 'admin' && <ButtonLink to="/inventory/classes">{t('cmdb.classes')}</ButtonLink>}
      {user.role === 'admin' && <ButtonLink to="/inventory/agents">{t('cmdb.agents')}</ButtonLink>}
      <ButtonLink to="/inventory/new" variant="primary">
        {t('cmdb.newItem')}
      </ButtonLink>
    </>
  );
}

/** The inventory: every item, filtered by class, family, status, team and warranty, searched, page by page. */
export function InventoryPage() {
  const t = useT();
  const [filter, setFilter] = useState<CiFilter>({});
  const [q, setQ] = useState('');
  const [withSoftware, setWithSoftware] = useState(false);
  const search = useDebounced(q.trim());
  const classes = useClasses();
  // software installations only when asked for (the chip, or a software class or kind picked)
  const software =
    withSoftware ||
    filter.kind === 'software_installation' ||
    classes.data?.find((c) => c.key === filter.classKey)?.kind === 'software_installation';
  const list = useCiList({
    ...filter,
    q: search === '' ? undefined : search,
    installations: software ? undefined : 'exclude',
  });
  const set = (key: keyof CiFilter, value: string) =>
    setFilter((f) => ({ ...f, [key]: value === '' ? undefined : value }));
  const columns: Column<Ci>[] = [
    {
      header: t('common.name'),
      className: 'cell-title',
      cell: (c) => <Link to={itemPath(c.id)}>{c.name}</Link>,
    },
    { header: t('cmdb.assetTag'), className: 'mono', cell: (c) => c.assetTag ?? '—' },
    { header: t('cmdb.class'), cell: (c) => <ClassName classKey={c.classKey} /> },
    { header: t('common.status'), cell: (c) => <CiStatusBadge status={c.status} /> },
    { header: t('cmdb.team'), wide: true, cell: (c) => <TeamName id={c.teamId} /> },
    { header: t('cmdb.serial'), wide: true, className: 'mono', cell: (c) => c.serial ?? '—' },
    {
      header: t('cmdb.warrantyEnd'),
      wide: true,
      className: 'cell-when',
      cell: (c) => formatDate(c.warrantyEnd),
    },
  ];
  return (
    <ListPage
      title={t('cmdb.inventory')}
      description={t('cmdb.inventoryAbout')}
      actions={<InventoryActions />}
      toolbar={
        <>
          <SearchField value={q} onChange={setQ} placeholder={t('cmdb.searchPlaceholder')} />
          <SelectField
            label={t('cmdb.class')}
            value={filter.classKey ?? ''}
            onChange={(e) => set('classKey', e.target.value)}
          >
            <option value="">{t('cmdb.anyClass')}</option>
            <Options items={classes.data} value={(c) => c.key} label={(c) => c.name} />
          </SelectField>
          <SelectField
            label={t('cmdb.kind')}
            value={filter.kind ?? ''}
            onChange={(e) => set('kind', e.target.value)}
          >
            <option value="">{t('cmdb.anyKind')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(t, k)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('common.status')}
            value={filter.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
          >
            <option value="">{t('cmdb.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(t, s)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('cmdb.team')}
            value={filter.teamId ?? ''}
            onChange={(e) => set('teamId', e.target.value)}
          >
            <option value="">{t('cmdb.anyTeam')}</option>
            <TeamOptions />
          </SelectField>
          <TextField
            className="field-date"
            label={t('cmdb.warrantyBefore')}
            type="date"
            value={filter.warrantyBefore ?? ''}
            onChange={(e) => set('warrantyBefore', e.target.value)}
          />
          <CheckboxField
            className="chip"
            label={t('cmdb.withSoftware')}
            checked={withSoftware}
            onChange={(e) => setWithSoftware(e.target.checked)}
          />
        </>
      }
    >
      <ListTable
        query={list}
        label={t('cmdb.items')}
        noun={t('cmdb.itemsNoun')}
        empty={
          Object.values(filter).some((v) => v !== undefined) || search !== ''
            ? t('cmdb.noMatch')
            : t('cmdb.empty')
        }
        columns={columns}
        rowKey={(c) => c.id}
      />
    </ListPage>
  );
}
