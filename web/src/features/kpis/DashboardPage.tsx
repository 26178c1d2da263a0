// Dashboards: the chosen one's cards, a picker of the defaults, mine and the shared ones, and saving a copy,
// editing or deleting my own.
import { useState } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import type { Dashboard, Role } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import { Button, ButtonLink, ConfirmButton, ErrorAlert, Loading, PageHeader, SelectField } from '../../ui';
import { useCreateDashboard, useDashboard, useDashboards, useDeleteDashboard } from './api';
import { DashboardCardView } from './Cards';
import { DashboardEditor } from './DashboardEditor';
import './kpis.css';

/** Which default a role starts on. */
const DEFAULT_OF: Record<Role, string> = {
  requester: 'preset-agent',
  agent: 'preset-agent',
  manager: 'preset-desk_manager',
  admin: 'preset-it_manager',
};

/** /dashboards: the caller's role's default. */
export function DashboardsHome() {
  return <Navigate to={`/dashboards/${DEFAULT_OF[useCurrentUser().role]}`} replace />;
}

/** /dashboards/:id */
export function DashboardPage() {
  const { id = '' } = useParams();
  const t = useT();
  const q = useDashboard(id);
  const [editing, setEditing] = useState(false);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('kpis.dashboardFailed')} />;
  const d = q.data.data;
  if (editing && q.data.etag) {
    return <DashboardEditor dashboard={d} etag={q.data.etag} done={() => setEditing(false)} />;
  }
  return (
    <>
      <PageHeader
        title={d.preset ? t(`kpis.preset.${d.preset}`) : d.name}
        description={d.owner && !d.mine ? t('kpis.sharedBy', { name: d.owner.name }) : undefined}
        actions={<Actions d={d} edit={() => setEditing(true)} />}
      />
      <div className="kpi-grid">
        {d.cards.map((c, i) => (
          <DashboardCardView key={`${i}-${c.kind}-${c.kpi}`} card={c} />
        ))}
      </div>
    </>
  );
}

function Actions({ d, edit }: { d: Dashboard; edit: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const list = useDashboards();
  const copy = useCreateDashboard();
  const remove = useDeleteDashboard(d.id);
  const name = (x: Dashboard) => (x.preset ? t(`kpis.preset.${x.preset}`) : x.name);
  return (
    <>
      <SelectField
        label={t('kpis.dashboard')}
        value={d.id}
        onChange={(e) => void navigate(`/dashboards/${e.target.value}`)}
      >
        {(list.data ?? [d]).map((x) => (
          <option key={x.id} value={x.id}>
            {name(x)}
          </option>
        ))}
      </SelectField>
      {d.mine ? (
        <>
          <Button onClick={edit}>{t('common.edit')}</Button>
          <ConfirmButton
            confirmLabel={t('kpis.confirmDelete')}
            busy={remove.isPending}
            onConfirm={() => void remove.mutateAsync().then(() => navigate('/dashboards'))}
          >
            {t('common.delete')}
          </ConfirmButton>
        </>
      ) : (
        <Button
          busy={copy.isPending}
          onClick={() =>
            void copy
              .mutateAsync({
                name: t('kpis.copyOf', { name: name(d) }),
                shared: false,
                cards: d.cards.map(stored),
              })
              .then((c) => navigate(`/dashboards/${c.id}`))
          }
        >
          {t('kpis.saveCopy')}
        </Button>
      )}
      <ButtonLink to="/reports">{t('reports.title')}</ButtonLink>
    </>
  );
}

/** A shown card as it is saved: without its computed days and team. */
export function stored(c: Dashboard['cards'][number]) {
  const { from: _from, to: _to, resolvedTeamId: _team, ...card } = c;
  return card;
}
