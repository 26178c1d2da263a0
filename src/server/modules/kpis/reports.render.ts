/**
 * A scheduled report's content: its period (the previous ISO week or calendar month, UTC days), each KPI's figure
 * for that period exactly as `GET /api/v1/kpis/:key` computes it with the same filters, and a trend of the six
 * periods up to it; written as a PDF for people (platform/pdf.ts) and a CSV with one row per KPI per period
 * (platform/csv.ts).
 */
import type { KpiKey, KpiPoint, KpiResult, ReportPeriod } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { csvRow } from '../../platform/csv.js';
import { type PdfBlock, pdfDocument } from '../../platform/pdf.js';
import type { Actor } from '../../platform/permissions.js';
import { computeKpi } from './kpis.service.js';
import { addDays, type Days } from './period.js';

/** KPI names as people know them (the web app's catalogue has the same, in English and German). */
export const KPI_NAMES: Record<KpiKey, string> = {
  sla_response: 'SLA response compliance',
  sla_resolution: 'SLA resolution compliance',
  mttr: 'Mean time to resolve',
  fcr: 'First-contact resolution',
  reopen_rate: 'Reopen rate',
  backlog: 'Backlog',
  backlog_age: 'Backlog age',
  csat: 'Customer satisfaction',
  change_success: 'Change success rate',
  backup_success: 'Backup success rate',
  rpo_compliance: 'RPO compliance',
  drill_pass: 'Recovery drill pass rate',
  open_exposure: 'Open exposure',
};

/** How many periods the trend shows (the report's own included). */
export const TREND_PERIODS = 6;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The period a report sent at `now` covers: the previous ISO week (Monday–Sunday) or calendar month (UTC). */
export function reportDays(period: ReportPeriod, now: Date): Days {
  const today = iso(now);
  if (period === 'last_week') {
    const monday = addDays(today, -((now.getUTCDay() + 6) % 7));
    return { from: addDays(monday, -7), to: addDays(monday, -1) };
  }
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return {
    from: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))),
    to: addDays(iso(first), -1),
  };
}

/** The first day of the trend: `TREND_PERIODS - 1` weeks or months before the period. */
function trendFrom(period: ReportPeriod, days: Days): string {
  if (period === 'last_week') return addDays(days.from, -7 * (TREND_PERIODS - 1));
  const d = new Date(`${days.from}T00:00:00Z`);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (TREND_PERIODS - 1), 1)));
}

/** One KPI of a report with the filters it is computed with. */
export interface ReportLine {
  kpi: KpiKey;
  teamId: string | null;
  serviceId: string | null;
}

/** A KPI's figure for the period, with its trend (the period's own point is the figure). */
export interface ReportFigure extends ReportLine {
  result: KpiResult;
  trend: KpiPoint[];
}

/** Computes every line as the owner would see it in the KPI API. */
export async function computeReport(
  ctx: Ctx,
  owner: Actor,
  period: ReportPeriod,
  days: Days,
  lines: readonly ReportLine[],
): Promise<ReportFigure[]> {
  const granularity = period === 'last_week' ? 'week' : 'month';
  const out: ReportFigure[] = [];
  for (const l of lines) {
    const filter = {
      granularity,
      ...(l.teamId ? { teamId: l.teamId } : {}),
      ...(l.serviceId ? { serviceId: l.serviceId } : {}),
    } as const;
    const result = await computeKpi(ctx, owner, l.kpi, { ...filter, ...days });
    const long = await computeKpi(ctx, owner, l.kpi, {
      ...filter,
      from: trendFrom(period, days),
      to: days.to,
    });
    const trend = [...long.trend.filter((p) => p.to < days.from), { ...days, ...pick(result) }];
    out.push({ ...l, result, trend });
  }
  return out;
}

const pick = (r: Pick<KpiResult, 'value' | 'count' | 'hits'>) => ({
  value: r.value,
  count: r.count,
  hits: r.hits,
});

/** A figure as people read it: 93.5 %, 4.2 h, 3.8 / 5, 12. */
export function shown(unit: KpiResult['unit'], v: number | null): string {
  if (v === null) return 'no data';
  const r = (n: number) => String(Math.round(n * 10) / 10);
  switch (unit) {
    case 'share':
      return `${r(v * 100)} %`;
    case 'hours':
      return `${r(v)} h`;
    case 'days':
      return `${r(v)} d`;
    case 'rating':
      return `${r(v)} / 5`;
    case 'items':
      return r(v);
  }
}

const metOf = (r: KpiResult, v: number | null) =>
  v === null ? null : r.better === 'higher' ? v >= r.target : v <= r.target;
const metText = (m: boolean | null) => (m === null ? 'no data' : m ? 'met' : 'not met');

/** Names of the teams and services the lines are cut by. */
export type Names = Map<string, string>;

function cut(f: ReportLine, names: Names): string {
  const parts = [
    f.teamId ? `team ${names.get(f.teamId) ?? 'a former team'}` : '',
    f.serviceId ? `service ${names.get(f.serviceId) ?? 'a former service'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'everything';
}

/** The CSV: one row per KPI per period of its trend, the report's period last. */
export function reportCsv(title: string, figures: readonly ReportFigure[], names: Names): Buffer {
  const head = ['report', 'kpi', 'name', 'team', 'service', 'from', 'to', 'value', 'count', 'hits'];
  let out = csvRow([...head, 'unit', 'target', 'met']);
  for (const f of figures) {
    for (const p of f.trend) {
      out += csvRow([
        title,
        f.kpi,
        KPI_NAMES[f.kpi],
        f.teamId ? (names.get(f.teamId) ?? '') : '',
        f.serviceId ? (names.get(f.serviceId) ?? '') : '',
        p.from,
        p.to,
        p.value,
        p.count,
        p.hits,
        f.result.unit,
        f.result.target,
        metText(metOf(f.result, p.value)),
      ]);
    }
  }
  return Buffer.from(out, 'utf8');
}

/** The PDF: title, period, and for each KPI its value, target, met or not, and a small trend table. */
export function reportPdf(title: string, days: Days, figures: readonly ReportFigure[], names: Names): Buffer {
  const blocks: PdfBlock[] = [
    { text: title, style: 'title' },
    { text: `Period ${days.from} to ${days.to} (UTC)`, style: 'body' },
  ];
  const met = figures.filter((f) => f.result.met === true).length;
  blocks.push({ text: `${met} of ${figures.length} targets met.`, style: 'small' });
  for (const f of figures) {
    const r = f.result;
    blocks.push({ text: `${KPI_NAMES[f.kpi]} (${cut(f, names)})`, style: 'heading' });
    blocks.push({
      text: `Value: ${shown(r.unit, r.value)}    Target: ${r.better === 'higher' ? 'at least' : 'at most'} ${shown(r.unit, r.target)}    ${metText(r.met)}`,
      style: 'subheading',
    });
    blocks.push({
      text: `Counted: ${r.count}${r.hits === null ? '' : `, of which ${r.hits} hits`}`,
      style: 'small',
    });
    blocks.push({ text: 'Trend', style: 'small' });
    for (const p of f.trend) {
      blocks.push({
        text: `${p.from} to ${p.to}:  ${shown(r.unit, p.value)}  (${p.count} counted)  ${metText(metOf(r, p.value))}`,
        style: 'bullet',
      });
    }
  }
  return pdfDocument(blocks, { title, footer: title });
}
