import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ChangeStatus } from '@contracts';
import { ButtonLink, ListPage, ListTable, SelectField } from '../../ui';
import { changePath, useChangeList } from './api';
import { RiskBadge, statusLabel, windowText } from './parts';

/** Changes, newest first, with a status filter. */
export function ChangesPage() {
  const [status, setStatus] = useState<ChangeStatus | ''>('');
  const list = useChangeList(status);
  return (
    <ListPage
      title="Changes"
      description="Standard, normal and emergency changes: assessed for risk from what the CMDB knows, approved by the right teams, scheduled where they collide with nothing, and reviewed afterwards."
      actions={
        <>
          <ButtonLink to="/changes/calendar">Calendar</ButtonLink>
          <ButtonLink to="/changes/delegations">Delegations</ButtonLink>
          <ButtonLink to="/changes/new" variant="primary">
            New change
          </ButtonLink>
        </>
      }
      toolbar={
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as ChangeStatus | '')}
        >
          <option value="">Any status</option>
          {ChangeStatus.options.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </SelectField>
      }
    >
      <ListTable
        query={list}
        label="Changes"
        noun="changes"
        empty="No change yet."
        rowKey={(c) => c.id}
        columns={[
          {
            header: 'Change',
            className: 'cell-strong',
            cell: (c) => <Link to={changePath(c.id)}>{c.key}</Link>,
          },
          { header: 'Title', className: 'cell-title', cell: (c) => c.title },
          { header: 'Type', cell: (c) => statusLabel(c.type as ChangeStatus) },
          { header: 'Status', cell: (c) => statusLabel(c.status) },
          { header: 'Risk', cell: (c) => <RiskBadge risk={c.risk} /> },
          { header: 'Window', wide: true, cell: (c) => windowText(c.plannedStart, c.plannedEnd) },
          { header: 'Implementer', wide: true, cell: (c) => c.implementerName ?? '' },
        ]}
      />
    </ListPage>
  );
}
