// The cards of a dashboard: a KPI's figure, its chart, or the first rows of its list. Every number is a link to
// the list it counts.
import { Link } from 'react-router-dom';
import type { ShownCard } from '@contracts';
import { useT } from '../../i18n';
import { Badge, Empty, ErrorAlert, Loading, Panel, formatDay, formatNumber } from '../../ui';
import { type KpiFilterParams, listHref, useKpi, useKpiItems } from './api';
import { formatKpi } from './format';
import { TrendChart } from './TrendChart';
import { ItemRef } from './ItemRef';

/** The filters a card was saved with, as days and ids. */
export function cardFilter(c: ShownCard): KpiFilterParams {
  return {
    from: c.from,
    to: c.to,
    granularity: c.granularity,
    teamId: c.resolvedTeamId,
    serviceId: c.serviceId ?? null,
  };
}

/** One card of a dashboard. */
export function DashboardCardView({ card }: { card: ShownCard }) {
  const t = useT();
  const title = t(`kpis.name.${card.kpi}`);
  const f = cardFilter(card);
  const scope = `${formatDay(card.from)} – ${formatDay(card.to)}${card.teamId === 'mine' ? ` · ${t('kpis.myTeam')}` : ''}`;
  return (
    <div className={card.kind === 'kpi' ? 'kpi-card' : 'kpi-card kpi-card-wide'}>
      <Panel title={title}>
        {card.kind === 'kpi' && <Figure card={card} f={f} />}
        {card.kind === 'chart' && <Chart card={card} f={f} title={title} />}
        {card.kind === 'list' && <ListPreview card={card} f={f} />}
        <p className="kpi-sub">{scope}</p>
      </Panel>
    </div>
  );
}

function Figure({ card, f }: { card: ShownCard; f: KpiFilterParams }) {
  const t = useT();
  const q = useKpi(card.kpi, f);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const k = q.data;
  return (
    <>
      <Link className="kpi-figure" to={listHref(card.kpi, f)} data-kpi-count={k.count}>
        {formatKpi(t, k.unit, k.value)}
      </Link>
      <span className="kpi-sub">
        {t('kpis.counted', { count: k.count })}
        {k.hits !== null && (
          <>
            {' · '}
            <Link to={listHref(card.kpi, f, true)}>{t('kpis.hits', { count: k.hits })}</Link>
          </>
        )}
      </span>
      <span className="kpi-sub">
        {t('kpis.target', { target: formatKpi(t, k.unit, k.target) })}{' '}
        {k.met !== null && (
          <Badge tone={k.met ? 'success' : 'danger'}>
            {k.met ? t('kpis.onTarget') : t('kpis.offTarget')}
          </Badge>
        )}
      </span>
    </>
  );
}

function Chart({ card, f, title }: { card: ShownCard; f: KpiFilterParams; title: string }) {
  const q = useKpi(card.kpi, f);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  return (
    <TrendChart
      points={q.data.trend}
      unit={q.data.unit}
      target={q.data.target}
      title={title}
      href={(p) => listHref(card.kpi, { ...f, from: p.from, to: p.to })}
    />
  );
}

function ListPreview({ card, f }: { card: ShownCard; f: KpiFilterParams }) {
  const t = useT();
  const q = useKpiItems(card.kpi, f, false, 8);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const page = q.data.pages[0];
  if (!page || page.total === 0) return <Empty>{t('kpis.nothingCounted')}</Empty>;
  return (
    <>
      <ul className="kpi-list">
        {page.items.map((item, i) => (
          <li key={item.id ?? `r${i}`}>
            <ItemRef item={item} />
          </li>
        ))}
      </ul>
      <Link to={listHref(card.kpi, f)}>
        {t('kpis.allRows', { count: page.total, n: formatNumber(page.total) })}
      </Link>
    </>
  );
}
