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
import { KINDS, KIND_LABEL, STATUSES, STATUS_LABEL } from './labels';
import { CiStatusBadge, ClassName, itemPath } from './parts';
import './cmdb.css';

/** Links from the inventory to its reports and, for the roles that may, its administration. */
export function InventoryActions() {
  const user = useCurrentUser();
  return (
    <>
      <ButtonLink to="/inventory/licences">Licences</ButtonLink>
      <ButtonLink to="/inventory/csv">Import / export</ButtonLink>
      {user.role === 'admin' && <ButtonLink to="/inventory/classes">Classes</ButtonLink>}
      {user.role === 'admin' && <ButtonLink to="/inventory/agents">Agents</ButtonLink>}
      <ButtonLink to="/inventory/new" variant="primary">
        New item
      </ButtonLink>
    </>
  );
}

/** The inventory: every item, filtered by class, family, status, team and warranty, searched, page by page. */
export function InventoryPage() {
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
    { header: 'Name', className: 'cell-title', cell: (c) => <Link to={itemPath(c.id)}>{c.name}</Link> },
    { header: 'Asset tag', className: 'mono', cell: (c) => c.assetTag ?? '—' },
    { header: 'Class', cell: (c) => <ClassName classKey={c.classKey} /> },
    { header: 'Status', cell: (c) => <CiStatusBadge status={c.status} /> },
    { header: 'Team', wide: true, cell: (c) => <TeamName id={c.teamId} /> },
    { header: 'Serial', wide: true, className: 'mono', cell: (c) => c.serial ?? '—' },
    { header: 'Warranty end', wide: true, className: 'cell-when', cell: (c) => formatDate(c.warrantyEnd) },
  ];
  return (
    <ListPage
      title="Inventory"
      description="Devices, services and records, and how they depend on each other (software installations on request)."
      actions={<InventoryActions />}
      toolbar={
        <>
          <SearchField value={q} onChange={setQ} placeholder="Name, asset tag or serial" />
          <SelectField
            label="Class"
            value={filter.classKey ?? ''}
            onChange={(e) => set('classKey', e.target.value)}
          >
            <option value="">Any class</option>
            <Options items={classes.data} value={(c) => c.key} label={(c) => c.name} />
          </SelectField>
          <SelectField label="Kind" value={filter.kind ?? ''} onChange={(e) => set('kind', e.target.value)}>
            <option value="">Any kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Status"
            value={filter.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Team"
            value={filter.teamId ?? ''}
            onChange={(e) => set('teamId', e.target.value)}
          >
            <option value="">Any team</option>
            <TeamOptions />
          </SelectField>
          <TextField
            className="field-date"
            label="Warranty ends before"
            type="date"
            value={filter.warrantyBefore ?? ''}
            onChange={(e) => set('warrantyBefore', e.target.value)}
          />
          <CheckboxField
            className="chip"
            label="Include software installations"
            checked={withSoftware}
            onChange={(e) => setWithSoftware(e.target.checked)}
          />
        </>
      }
    >
      <ListTable
        query={list}
        label="Items"
        noun="items"
        empty={
          Object.values(filter).some((v) => v !== undefined) || search !== ''
            ? 'No items match these filters.'
            : 'The inventory is empty. Add an item, import a CSV file, or enrol a discovery agent.'
        }
        columns={columns}
        rowKey={(c) => c.id}
      />
    </ListPage>
  );
}
