// The list behind a figure: exactly the rows the KPI counts for its period and filters (the count on top is the
// list's total), and for admins the KPI's target.
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { KPI_KEYS, type KpiItem, type KpiKey } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import {
  Button,
  formatDateTime,
  formatDay,
  formatNumber,
  ListTable,
  PageHeader,
  Panel,
  TextField,
  FormError,
  type Column,
} from '../../ui';
import { NotFoundPage } from '../../app/HomePage';
import { type KpiFilterParams, useKpiCatalogue, useKpiItems, useSetTarget } from './api';
import { formatKpi } from './format';
import { ItemRef } from './ItemRef';
import './kpis.css';

/** The list page of one KPI. */
export function KpiListPage() {
  const { key = '' } = useParams();
  if (!(KPI_KEYS as readonly string[]).includes(key)) return <NotFoundPage />;
  return <KpiList kpi={key as KpiKey} />;
}

function KpiList({ kpi }: { kpi: KpiKey }) {
  const t = useT();
  const [search] = useSearchParams();
  const today = new Date().toISOString().slice(0, 10);
  const f: KpiFilterParams = {
    from: search.get('from') ?? today,
    to: search.get('to') ?? today,
    teamId: search.get('teamId'),
    serviceId: search.get('serviceId'),
  };
  const hits = search.get('hits') === 'true';
  const admin = useCurrentUser().role === 'admin';
  const list = useKpiItems(kpi, f, hits);
  const info = useKpiCatalogue().data?.find((k) => k.key === kpi);
  const total = list.data?.pages[0]?.total;
  const columns: Column<KpiItem>[] = [
    { header: t('kpis.item'), className: 'cell-strong', cell: (item) => <ItemRef item={item} /> },
    { header: t('common.when'), wide: true, cell: (item) => formatDateTime(item.at) },
  ];
  if (info && info.kind === 'ratio') {
    columns.push({
      header: t('kpis.counts'),
      cell: (item) => (item.hit === null ? '—' : item.hit ? t('kpis.hitYes') : t('kpis.hitNo')),
    });
  }
  if (info && info.kind === 'mean') {
    columns.push({ header: t('kpis.measure'), cell: (item) => formatKpi(t, info.unit, item.measure) });
  }
  return (
    <>
      <PageHeader
        title={t(`kpis.name.${kpi}`)}
        back={{ to: '/dashboards', label: t('kpis.dashboards') }}
        description={
          <>
            {t('kpis.listOf', { from: formatDay(f.from), to: formatDay(f.to) })}
            {hits ? ` · ${t('kpis.onlyHits')}` : ''}
            {total !== undefined && (
              <>
                {' · '}
                <strong data-testid="kpi-total" data-count={total}>
                  {t('kpis.rows', { count: total, n: formatNumber(total) })}
                </strong>
              </>
            )}
          </>
        }
      />
      <Panel padded={false}>
        <ListTable
          query={list}
          label={t(`kpis.name.${kpi}`)}
          noun={t('kpis.rowsNoun')}
          empty={t('kpis.nothingCounted')}
          columns={columns}
          rowKey={(item) => `${item.kind}:${item.id ?? ''}:${item.at ?? ''}:${item.ref ?? ''}`}
        />
      </Panel>
      {info && admin && <TargetForm kpi={kpi} target={info.target} />}
    </>
  );
}

function TargetForm({ kpi, target }: { kpi: KpiKey; target: number }) {
  const t = useT();
  const [value, setValue] = useState(String(target));
  const set = useSetTarget(kpi);
  return (
    <Panel title={t('kpis.setTarget')}>
      <form
        className="kpi-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          set.mutate(Number(value));
        }}
      >
        <TextField
          label={t('kpis.targetLabel')}
          type="number"
          step="any"
          min="0"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={set.isPending}>
          {t('common.save')}
        </Button>
      </form>
      {set.isError && <FormError error={set.error} title={t('kpis.targetFailed')} />}
      {set.isSuccess && <p className="kpi-sub">{t('common.saved')}</p>}
    </Panel>
  );
}
