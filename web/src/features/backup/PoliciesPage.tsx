import { Link } from 'react-router-dom';
import { ButtonLink, ListTable, Panel } from '../../ui';
import { usePolicies } from './api';
import { SCOPE_LABEL, retentionText, scheduleText, span } from './labels';
import { BackupArea, wholeList } from './parts';

/** The address of a policy's page. */
export const policyPath = (id: string) => `/backups/policies/${encodeURIComponent(id)}`;

/** Backup policies (admins): when computers are backed up, what is kept, and whom each policy covers. */
export function PoliciesPage() {
  const policies = usePolicies();
  return (
    <BackupArea
      title="Backup policies"
      description="When computers are backed up, which folders, how long snapshots are kept and how much work may be lost. A computer takes the most specific policy: its own, then its location’s, its team’s, its class’s."
      actions={
        <ButtonLink to="/backups/policies/new" variant="primary">
          New policy
        </ButtonLink>
      }
    >
      <Panel padded={false}>
        <ListTable
          query={wholeList(policies)}
          label="Backup policies"
          noun="policies"
          empty="No policy yet: create one and assign it to computers, teams, locations or classes."
          rowKey={(p) => p.id}
          columns={[
            {
              header: 'Policy',
              className: 'cell-title',
              cell: (p) => <Link to={policyPath(p.id)}>{p.name}</Link>,
            },
            { header: 'Schedule', cell: scheduleText },
            { header: 'RPO target', cell: (p) => span(p.rpoMinutes) },
            { header: 'Keeps', wide: true, cell: (p) => retentionText(p.retention) },
            {
              header: 'Assigned to',
              wide: true,
              cell: (p) =>
                p.assignments.length === 0 ? (
                  <span className="muted">Nothing yet</span>
                ) : (
                  p.assignments.map((a) => `${SCOPE_LABEL[a.scope]}: ${a.label}`).join(' · ')
                ),
            },
          ]}
        />
      </Panel>
    </BackupArea>
  );
}
