// KPI figures in the user's language.
import type { KpiInfo } from '@contracts';
import type { Translate } from '../../i18n';
import { activeFormatTag } from '../../i18n/locale';
import { formatNumber } from '../../ui';

/** A KPI's value with its unit: 93.5 %, 12.4 h, 3.2 d, 4.1 / 5, 17; a dash when nothing was counted. */
export function formatKpi(t: Translate, unit: KpiInfo['unit'], value: number | null): string {
  if (value === null) return '—';
  const one = (n: number) => formatNumber(Math.round(n * 10) / 10);
  switch (unit) {
    case 'share':
      return new Intl.NumberFormat(activeFormatTag(), { style: 'percent', maximumFractionDigits: 1 }).format(
        value,
      );
    case 'hours':
      return t('kpis.unit.hours', { n: one(value) });
    case 'days':
      return t('kpis.unit.days', { n: one(value) });
    case 'rating':
      return t('kpis.unit.rating', { n: one(value) });
    case 'items':
      return formatNumber(value);
  }
}
