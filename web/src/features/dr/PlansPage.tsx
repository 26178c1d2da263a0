import { Link } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { ButtonLink, ListTable, Notice, PageHeader, Panel, formatDay } from '../../ui';
import { planPath, usePlans } from './api';
import { useT } from '../../i18n';
import { minutes, ReadyBadge, VerifiedBadge } from './parts';

/** Disaster-recovery plans: one per business service, with readiness at a glance. */
export function PlansPage() {
  const t = useT();
  const plans = usePlans();
  const user = useCurrentUser();
  const edits = user.role === 'admin' || user.role === 'manager';
  return (
    <>
      <PageHeader
        title={t('dr.title')}
        description={t('dr.plans.about')}
        actions={
          edits ? (
            <ButtonLink to="/dr/plans/new" variant="primary">
              {t('dr.plans.new')}
            </ButtonLink>
          ) : undefined
        }
      />
      <Notice />
      <Panel padded={false}>
        <ListTable
          query={plans}
          label={t('dr.plans.label')}
          noun={t('dr.plans.noun')}
          empty={t('dr.plans.none')}
          rowKey={(p) => p.id}
          columns={[
            {
              header: t('dr.plans.plan'),
              className: 'cell-title',
              cell: (p) => <Link to={planPath(p.id)}>{p.name}</Link>,
            },
            { header: t('dr.plans.service'), cell: (p) => p.service.name },
            { header: t('dr.plans.readiness'), cell: (p) => <ReadyBadge plan={p} /> },
            { header: t('dr.plans.drill'), cell: (p) => <VerifiedBadge plan={p} /> },
            {
              header: t('dr.plans.rtoRpo'),
              cell: (p) => `${minutes(t, p.rtoMinutes)} / ${minutes(t, p.rpoMinutes)}`,
            },
            {
              header: t('dr.plans.review'),
              cell: (p) =>
                p.reviewOverdue ? (
                  <strong>{t('dr.plans.overdue', { date: formatDay(p.reviewDue) })}</strong>
                ) : (
                  formatDay(p.reviewDue)
                ),
            },
            {
              header: t('dr.plans.owner'),
              cell: (p) => p.owner?.name ?? <span className="muted">{t('dr.nobody')}</span>,
            },
          ]}
        />
      </Panel>
    </>
  );
}
