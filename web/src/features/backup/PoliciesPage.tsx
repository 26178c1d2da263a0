import { Link } from 'react-router-dom';
import { ButtonLink, ListTable, Panel } from '../../ui';
import { usePolicies } from './api';
import { useT } from '../../i18n';
import { retentionText, scheduleText, scopeLabel, span } from './labels';
import { BackupArea, wholeList } from './parts';

/** The address of a policy's page. */
export const policyPath = (id: string) => `/backups/policies/${encodeURIComponent(id)}`;

/** Backup policies (admins): when computers are backed up, what is kept, and whom each policy covers. */
export function PoliciesPage() {
  const t = useT();
  const policies = usePolicies();
  return (
    <BackupArea
      title={t('backup.policies.title')}
      description={t('backup.policies.about')}
      actions={
        <ButtonLink to="/backups/policies/new" variant="primary">
          {t('backup.policies.new')}
        </ButtonLink>
      }
    >
      <Panel padded={false}>
        <ListTable
          query={wholeList(policies)}
          label={t('backup.policies.title')}
          noun={t('backup.policies.noun')}
          empty={t('backup.policies.none')}
          rowKey={(p) => p.id}
          columns={[
            {
              header: t('backup.policy'),
              className: 'cell-title',
              cell: (p) => <Link to={policyPath(p.id)}>{p.name}</Link>,
            },
            { header: t('backup.policies.schedule'), cell: (p) => scheduleText(t, p) },
            { header: t('backup.policies.rpo'), cell: (p) => span(t, p.rpoMinutes) },
            { header: t('backup.policies.keeps'), wide: true, cell: (p) => retentionText(t, p.retention) },
            {
              header: t('backup.assigned'),
              wide: true,
              cell: (p) =>
                p.assignments.length === 0 ? (
                  <span className="muted">{t('backup.policies.nothingYet')}</span>
                ) : (
                  p.assignments.map((a) => `${scopeLabel(t, a.scope)}: ${a.label}`).join(' · ')
                ),
            },
          ]}
        />
      </Panel>
    </BackupArea>
  );
}
