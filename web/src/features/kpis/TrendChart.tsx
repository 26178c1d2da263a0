// A KPI's trend as bars we draw ourselves (SVG): each bar opens the list of its bucket; the target is a dashed line.
import { Link } from 'react-router-dom';
import type { KpiInfo, KpiPoint } from '@contracts';
import { useT } from '../../i18n';
import { formatDay } from '../../ui';
import { formatKpi } from './format';

const W = 320;
const H = 140;
const PAD = { top: 8, bottom: 22, left: 4, right: 4 };

/** The trend of one KPI; `href` is the list behind a point. */
export function TrendChart({
  points,
  unit,
  target,
  title,
  href,
}: {
  points: KpiPoint[];
  unit: KpiInfo['unit'];
  target: number;
  title: string;
  href: (p: KpiPoint) => string;
}) {
  const t = useT();
  const values = points.map((p) => p.value ?? 0);
  const max = unit === 'share' ? 1 : Math.max(target, ...values, 1) * 1.1;
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(points.length, 1);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const first = points[0];
  const last = points.at(-1);
  return (
    <svg className="kpi-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <line className="kpi-axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
      {points.map((p, i) => {
        const label = t('kpis.chart.point', {
          from: formatDay(p.from),
          to: formatDay(p.to),
          value: formatKpi(t, unit, p.value),
          count: p.count,
        });
        const h = p.value === null ? 0 : Math.max(y(0) - y(p.value), 1);
        return (
          <Link key={p.from} to={href(p)} aria-label={label}>
            <title>{label}</title>
            <rect className="kpi-hit" x={PAD.left + i * step} y={PAD.top} width={step} height={plotH} />
            <rect
              className="kpi-bar"
              x={PAD.left + i * step + step * 0.15}
              y={y(0) - h}
              width={Math.max(step * 0.7, 1)}
              height={h}
            />
          </Link>
        );
      })}
      <line
        className="kpi-target"
        x1={PAD.left}
        x2={W - PAD.right}
        y1={y(Math.min(target, max))}
        y2={y(Math.min(target, max))}
      />
      {first && (
        <text className="kpi-tick" x={PAD.left} y={H - 6}>
          {formatDay(first.from)}
        </text>
      )}
      {last && points.length > 1 && (
        <text className="kpi-tick" x={W - PAD.right} y={H - 6} textAnchor="end">
          {formatDay(last.to)}
        </text>
      )}
    </svg>
  );
}
