// Scheduling a report: a dashboard or KPIs (cut by a team and a business service), the period, PDF and/or
// CSV, the people and teams who get it, and when.
import { useState } from 'react';
import { KPI_KEYS, type KpiKey, type ReportInput, type ReportPeriod } from '@contracts';
import { useT } from '../../i18n';
import {
  Button,
  CheckboxField,
  FormError,
  Panel,
  PersonField,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { useServices } from '../dr/api';
import { useAllTeams } from '../teams/api';
import { useDashboards } from './api';
import { useCreateReport } from './reportsApi';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const DAYS = Array.from({ length: 28 }, (_, d) => d + 1);
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
let slotKey = 0;

export function ReportForm({ done }: { done: () => void }) {
  const t = useT();
  const teams = useAllTeams();
  const services = useServices();
  const dashboards = useDashboards();
  const create = useCreateReport();
  const { errors } = useFieldErrors(create.error);
  const [name, setName] = useState('');
  const [source, setSource] = useState<'kpis' | 'dashboard'>('kpis');
  const [dashboardId, setDashboardId] = useState('');
  const [kpis, setKpis] = useState<KpiKey[]>([]);
  const [teamId, setTeamId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [period, setPeriod] = useState<ReportPeriod>('last_month');
  const [formats, setFormats] = useState<('pdf' | 'csv')[]>(['pdf', 'csv']);
  const [people, setPeople] = useState<{ key: number; id?: string | undefined }[]>([{ key: ++slotKey }]);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [frequency, setFrequency] = useState<'weekly' | 'monthly'>('monthly');
  const [day, setDay] = useState(1);
  const [hour, setHour] = useState(6);
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));
  const input = (): ReportInput => ({
    name,
    dashboardId: source === 'dashboard' && dashboardId ? dashboardId : null,
    kpis: source === 'kpis' ? kpis : [],
    teamId: source === 'kpis' && teamId ? teamId : null,
    serviceId: source === 'kpis' && serviceId ? serviceId : null,
    period,
    formats,
    userIds: people.flatMap((p) => (p.id ? [p.id] : [])),
    teamIds,
    schedule: { frequency, day, hour, timeZone: 'UTC' },
    enabled: true,
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(input(), { onSuccess: done });
      }}
    >
      <Panel title={t('reports.new')}>
        <FormError error={create.error} title={t('reports.saveFailed')} />
        <TextField
          label={t('common.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          required
        />
        <SelectField
          label={t('reports.content')}
          value={source}
          onChange={(e) => setSource(e.target.value as 'kpis' | 'dashboard')}
        >
          <option value="kpis">{t('reports.source.kpis')}</option>
          <option value="dashboard">{t('reports.source.dashboard')}</option>
        </SelectField>
        {source === 'dashboard' ? (
          <SelectField
            label={t('kpis.dashboard')}
            value={dashboardId}
            onChange={(e) => setDashboardId(e.target.value)}
            error={errors.dashboardId}
          >
            <option value="">{t('reports.choose')}</option>
            {(dashboards.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.preset ? t(`kpis.preset.${d.preset}`) : d.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <>
            <fieldset className="field">
              <legend className="field-label">{t('reports.kpis')}</legend>
              {errors.kpis && <p className="field-error">{errors.kpis}</p>}
              <div className="report-kpis">
                {KPI_KEYS.map((k) => (
                  <CheckboxField
                    key={k}
                    label={t(`kpis.name.${k}`)}
                    checked={kpis.includes(k)}
                    onChange={(e) => setKpis(toggle(kpis, k, e.target.checked))}
                  />
                ))}
              </div>
            </fieldset>
            <div className="kpi-toolbar">
              <SelectField
                label={t('kpis.team')}
                value={teamId}
                onChange={(e) => setTeamId(e.target.value)}
                error={errors.teamId}
              >
                <option value="">{t('kpis.allTeams')}</option>
                {(teams.data ?? []).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t('reports.service')}
                value={serviceId}
                onChange={(e) => setServiceId(e.target.value)}
                error={errors.serviceId}
              >
                <option value="">{t('reports.allServices')}</option>
                {(services.data ?? []).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </SelectField>
            </div>
          </>
        )}
        <div className="kpi-toolbar">
          <SelectField
            label={t('reports.period')}
            value={period}
            onChange={(e) => setPeriod(e.target.value as ReportPeriod)}
          >
            <option value="last_month">{t('reports.periods.last_month')}</option>
            <option value="last_week">{t('reports.periods.last_week')}</option>
          </SelectField>
          {(['pdf', 'csv'] as const).map((f) => (
            <CheckboxField
              key={f}
              label={t(`reports.format.${f}`)}
              checked={formats.includes(f)}
              onChange={(e) => setFormats(toggle(formats, f, e.target.checked))}
            />
          ))}
        </div>
        {errors.formats && <p className="field-error">{errors.formats}</p>}
      </Panel>
      <Panel title={t('reports.recipients')}>
        {errors.userIds && <p className="field-error">{errors.userIds}</p>}
        {people.map((p) => (
          <PersonField
            key={p.key}
            label={t('reports.person')}
            onChange={(id) => setPeople(people.map((x) => (x.key === p.key ? { ...x, id } : x)))}
          />
        ))}
        <Button type="button" size="sm" onClick={() => setPeople([...people, { key: ++slotKey }])}>
          {t('reports.addPerson')}
        </Button>
        <fieldset className="field">
          <legend className="field-label">{t('reports.teams')}</legend>
          {(teams.data ?? []).map((x) => (
            <CheckboxField
              key={x.id}
              label={x.name}
              checked={teamIds.includes(x.id)}
              onChange={(e) => setTeamIds(toggle(teamIds, x.id, e.target.checked))}
            />
          ))}
        </fieldset>
        <p className="field-hint">{t('reports.whoHint')}</p>
      </Panel>
      <Panel title={t('reports.schedule')}>
        <div className="kpi-toolbar">
          <SelectField
            label={t('reports.frequency')}
            value={frequency}
            onChange={(e) => {
              setFrequency(e.target.value as 'weekly' | 'monthly');
              setDay(1);
            }}
          >
            <option value="monthly">{t('reports.monthly')}</option>
            <option value="weekly">{t('reports.weekly')}</option>
          </SelectField>
          <SelectField label={t('reports.day')} value={day} onChange={(e) => setDay(Number(e.target.value))}>
            {(frequency === 'weekly' ? WEEKDAYS : DAYS).map((d) => (
              <option key={d} value={d}>
                {frequency === 'weekly' ? t(`reports.weekday.${d as (typeof WEEKDAYS)[number]}`) : d}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('reports.hour')}
            value={hour}
            onChange={(e) => setHour(Number(e.target.value))}
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {t('reports.hourUtc', { hour: h })}
              </option>
            ))}
          </SelectField>
        </div>
      </Panel>
      <div className="kpi-toolbar">
        <Button type="submit" variant="primary" busy={create.isPending}>
          {t('common.save')}
        </Button>
        <Button type="button" onClick={done}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
