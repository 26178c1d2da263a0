import type { ApprovalRule, ChangeOutcome, ChangeStatus, ChangeType, RiskLevel } from '@contracts';
import { type Translate, useT } from '../../i18n';
import { Badge, formatDateTime } from '../../ui';

/** A status as people say it ("Authorisation", "Implementing"). */
export const statusName = (t: Translate, s: ChangeStatus) => t(`changes.status.${s}`);
/** A change type as people say it ("Standard"). */
export const typeName = (t: Translate, s: ChangeType) => t(`changes.type.${s}`);
/** How a closed change went ("Partially successful"). */
export const outcomeName = (t: Translate, o: ChangeOutcome) => t(`changes.outcome.${o}`);
/** How an approval level decides ("any", "at least 2"). */
export const ruleName = (t: Translate, rule: ApprovalRule, count: number) =>
  rule === 'at_least' ? t('changes.rule.at_least', { count }) : t(`changes.rule.${rule}`);

/** A change type in words. */
export function TypeName({ type }: { type: ChangeType }) {
  return <>{typeName(useT(), type)}</>;
}

/** Risk as a coloured badge. */
export function RiskBadge({ risk }: { risk: RiskLevel | null }) {
  const t = useT();
  if (risk === null) return <span className="muted">{t('changes.notAssessed')}</span>;
  const tone = risk === 'high' ? 'danger' : risk === 'moderate' ? 'primary' : 'success';
  return <Badge tone={tone}>{t(`changes.risk.${risk}`)}</Badge>;
}

/** "3 Mar 2031, 10:00 – 11:00" style window, or "Not planned". */
export function windowText(t: Translate, start: string | null, end: string | null): string {
  if (!start || !end) return t('changes.notPlanned');
  return `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

/** A local date-time input's value (`YYYY-MM-DDTHH:mm`, the browser's zone) as an ISO instant, or null. */
export const instant = (v: string) => (v ? new Date(v).toISOString() : null);

/** An ISO instant as a local date-time input's value. */
export function localInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
