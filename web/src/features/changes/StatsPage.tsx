import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ChangeOutcome, ChangeStats } from '@contracts';
import { useT } from '../../i18n';
import {
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  formatNumber,
} from '../../ui';
import { type ChangeFilter, changesListPath, useChangeStats } from './api';
import { outcomeName } from './parts';
import './changes.css';

const DAY = 86_400_000;
type Preset = '30' | '90' | '365' | 'all' | 'custom';
type Row = ChangeStats['teams'][number] | ChangeStats['templates'][number];
const OUTCOMES: [ChangeOutcome, 'successful' | 'partiallySuccessful' | 'failed' | 'backedOut'][] = [
  ['successful', 'successful'],
  ['partially_successful', 'partiallySuccessful'],
  ['failed', 'failed'],
  ['backed_out', 'backedOut'],
];

/** The period a preset or two typed days (`YYYY-MM-DD`, the end day included) mean, as instants. */
export function periodOf(preset: Preset, from: string, to: string, now = Date.now()) {
  if (preset === 'all') return { from: undefined, to: undefined };
  if (preset === 'custom')
    return {
      from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
      to: to ? new Date(new Date(`${to}T00:00:00`).getTime() + DAY).toISOString() : undefined,
    };
  return { from: new Date(now - Number(preset) * DAY).toISOString(), to: undefined };
}

/** One table of rates: a row per team or template, each count a link to the changes it counts. */
function RateTable({
  rows,
  label,
  nameOf,
  filterOf,
}: {
  rows: Row[];
  label: string;
  nameOf: (r: Row) => string;
  filterOf: (r: Row) => ChangeFilter;
}) {
  const t = useT();
  if (rows.length === 0) return <Empty>{t('changes.noClosedChanges')}</Empty>;
  const cell = (r: Row, n: number, outcome: ChangeOutcome | undefined, what: string) => (
    <Link
      to={changesListPath({ ...filterOf(r), status: 'closed', outcome })}
      aria-label={t('changes.rateLink', { count: n, what, name: nameOf(r) })}
    >
      {formatNumber(n)}
    </Link>
  );
  return (
    <table className="table chg-rates" aria-label={label}>
      <thead>
        <tr>
          <th>{label}</th>
          <th className="num">{t('changes.closed')}</th>
          {OUTCOMES.map(([o]) => (
            <th key={o} className="num">
              {outcomeName(t, o)}
            </th>
          ))}
          <th className="num">{t('changes.successRate')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={nameOf(r) + JSON.stringify(filterOf(r))}>
            <td className="cell-strong">{nameOf(r)}</td>
            <td className="num">{cell(r, r.closed, undefined, t('changes.closedChanges'))}</td>
            {OUTCOMES.map(([o, k]) => (
              <td key={o} className="num">
                {cell(r, r[k], o, outcomeName(t, o))}
              </td>
            ))}
            <td className="num">
              <Link
                to={changesListPath({ ...filterOf(r), status: 'closed', outcome: 'successful' })}
                aria-label={t('changes.rateOf', { name: nameOf(r) })}
              >
                {t('changes.percent', { rate: r.rate })}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * How changes went, per team and per template, for the changes closed in a chosen period: closed, each outcome,
 * and the success rate; every number opens the list of the changes it counts.
 */
export function StatsPage() {
  const t = useT();
  const [preset, setPreset] = useState<Preset>('90');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // The period ends now as the page opened: a moving "now" would be a new query on every render.
  const [now] = useState(Date.now);
  const period = periodOf(preset, from, to, now);
  const stats = useChangeStats(period.from, period.to);
  const closed = { closedFrom: period.from, closedTo: period.to };
  return (
    <>
      <PageHeader
        title={t('changes.stats')}
        description={t('changes.statsIntro')}
        back={{ to: '/changes', label: t('nav.changes') }}
      />
      <div className="stack">
        <Panel>
          <div className="row">
            <SelectField
              label={t('changes.period')}
              value={preset}
              onChange={(e) => setPreset(e.target.value as Preset)}
            >
              <option value="30">{t('changes.lastDays', { days: 30 })}</option>
              <option value="90">{t('changes.lastDays', { days: 90 })}</option>
              <option value="365">{t('changes.lastDays', { days: 365 })}</option>
              <option value="all">{t('changes.allTime')}</option>
              <option value="custom">{t('changes.chosenDays')}</option>
            </SelectField>
            {preset === 'custom' && (
              <>
                <TextField
                  label={t('changes.closedFrom')}
                  type="date"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
                <TextField
                  label={t('changes.closedUntil')}
                  type="date"
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                />
              </>
            )}
          </div>
        </Panel>
        {stats.isPending && <Loading />}
        {stats.isError && <ErrorAlert error={stats.error} />}
        {stats.data && (
          <>
            <Panel title={t('changes.byTeam')}>
              <RateTable
                rows={stats.data.teams}
                label={t('changes.teamColumn')}
                nameOf={(r) => ('teamName' in r ? r.teamName : '')}
                filterOf={(r) => ({ ...closed, teamId: 'teamId' in r ? r.teamId : undefined })}
              />
            </Panel>
            <Panel title={t('changes.byTemplate')}>
              <RateTable
                rows={stats.data.templates}
                label={t('changes.template')}
                nameOf={(r) => ('templateName' in r ? r.templateName : '')}
                filterOf={(r) => ({ ...closed, templateId: 'templateId' in r ? r.templateId : undefined })}
              />
            </Panel>
          </>
        )}
      </div>
    </>
  );
}
