import { Link } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { ButtonLink, ListTable, Notice, PageHeader, Panel } from '../../ui';
import { planPath, usePlans } from './api';
import { minutes, ReadyBadge, VerifiedBadge } from './parts';

/** Disaster-recovery plans: one per business service, with readiness at a glance. */
export function PlansPage() {
  const plans = usePlans();
  const user = useCurrentUser();
  const edits = user.role === 'admin' || user.role === 'manager';
  return (
    <>
      <PageHeader
        title="Disaster recovery"
        description="A recovery plan per business service: targets, the order to recover what it runs on, runbook steps and whom to call. A plan is ready when every computer in scope has a recent enough snapshot and every step an owner."
        actions={
          edits ? (
            <ButtonLink to="/dr/plans/new" variant="primary">
              New plan
            </ButtonLink>
          ) : undefined
        }
      />
      <Notice />
      <Panel padded={false}>
        <ListTable
          query={plans}
          label="Disaster-recovery plans"
          noun="plans"
          empty="No plan yet."
          rowKey={(p) => p.id}
          columns={[
            {
              header: 'Plan',
              className: 'cell-title',
              cell: (p) => <Link to={planPath(p.id)}>{p.name}</Link>,
            },
            { header: 'Service', cell: (p) => p.service.name },
            { header: 'Readiness', cell: (p) => <ReadyBadge plan={p} /> },
            { header: 'Drill', cell: (p) => <VerifiedBadge plan={p} /> },
            { header: 'RTO / RPO', cell: (p) => `${minutes(p.rtoMinutes)} / ${minutes(p.rpoMinutes)}` },
            {
              header: 'Review',
              cell: (p) => (p.reviewOverdue ? <strong>{p.reviewDue} (overdue)</strong> : p.reviewDue),
            },
            { header: 'Owner', cell: (p) => p.owner?.name ?? <span className="muted">Nobody</span> },
          ]}
        />
      </Panel>
    </>
  );
}
