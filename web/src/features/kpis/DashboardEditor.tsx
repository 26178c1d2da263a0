// Editing one of my dashboards: its name, whether it is shared (managers and admins), and its cards with the
// filters each keeps.
import { useState } from 'react';
import {
  type CardPeriod,
  type Dashboard,
  type DashboardCard,
  type Granularity,
  KPI_KEYS,
  type KpiKey,
} from '@contracts';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import { Button, CheckboxField, FormError, PageHeader, Panel, SelectField, TextField } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUpdateDashboard } from './api';
import { stored } from './DashboardPage';

const KINDS = ['kpi', 'chart', 'list'] as const;
const PERIODS: CardPeriod[] = ['last_7_days', 'last_30_days', 'last_90_days', 'last_12_months', 'this_year'];
const GRANULARITIES: Granularity[] = ['day', 'week', 'month'];

/** The editor; `done` leaves it. */
export function DashboardEditor({
  dashboard,
  etag,
  done,
}: {
  dashboard: Dashboard;
  etag: string;
  done: () => void;
}) {
  const t = useT();
  const user = useCurrentUser();
  const teams = useAllTeams();
  const [name, setName] = useState(dashboard.name);
  const [shared, setShared] = useState(dashboard.shared);
  const [cards, setCards] = useState<DashboardCard[]>(dashboard.cards.map(stored));
  const save = useUpdateDashboard(dashboard.id);
  const change = (i: number, patch: Partial<DashboardCard>) =>
    setCards(cards.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <>
      <PageHeader title={t('kpis.editDashboard')} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ input: { name, shared, cards }, etag }, { onSuccess: done });
        }}
      >
        <Panel>
          <TextField
            label={t('common.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
          {(user.role === 'manager' || user.role === 'admin') && (
            <CheckboxField
              label={t('kpis.shareLabel')}
              checked={shared}
              onChange={(e) => setShared(e.target.checked)}
            />
          )}
        </Panel>
        {cards.map((c, i) => (
          <Panel key={i} title={t('kpis.cardN', { n: i + 1 })}>
            <div className="kpi-toolbar">
              <SelectField
                label={t('kpis.cardKind')}
                value={c.kind}
                onChange={(e) => change(i, { kind: e.target.value as DashboardCard['kind'] })}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kpis.kind.${k}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('kpis.kpi')}
                value={c.kpi}
                onChange={(e) => change(i, { kpi: e.target.value as KpiKey, teamId: undefined })}
              >
                {KPI_KEYS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kpis.name.${k}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('kpis.period')}
                value={c.period}
                onChange={(e) => change(i, { period: e.target.value as CardPeriod })}
              >
                {PERIODS.map((p) => (
                  <option key={p} value={p}>
                    {t(`kpis.periods.${p}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('kpis.granularity')}
                value={c.granularity}
                onChange={(e) => change(i, { granularity: e.target.value as Granularity })}
              >
                {GRANULARITIES.map((g) => (
                  <option key={g} value={g}>
                    {t(`kpis.granularities.${g}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('kpis.team')}
                value={c.teamId ?? ''}
                onChange={(e) => change(i, { teamId: e.target.value === '' ? undefined : e.target.value })}
              >
                <option value="">{t('kpis.allTeams')}</option>
                <option value="mine">{t('kpis.myTeam')}</option>
                {(teams.data ?? []).map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </SelectField>
              <Button type="button" onClick={() => setCards(cards.filter((_, j) => j !== i))}>
                {t('kpis.removeCard')}
              </Button>
            </div>
          </Panel>
        ))}
        <div className="kpi-toolbar">
          <Button
            type="button"
            onClick={() =>
              setCards([
                ...cards,
                { kind: 'kpi', kpi: 'backlog', period: 'last_30_days', granularity: 'day' },
              ])
            }
          >
            {t('kpis.addCard')}
          </Button>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
          <Button type="button" onClick={done}>
            {t('common.cancel')}
          </Button>
        </div>
        {save.isError && <FormError error={save.error} title={t('kpis.saveFailed')} />}
      </form>
    </>
  );
}
