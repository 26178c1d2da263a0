// Small pieces the plan pages share: readiness and verification badges, durations as people say them.
import type { DrPlan } from '@contracts';
import { useT, type Translate } from '../../i18n';
import './dr.css';

/** Minutes as people say them: "45 min", "4 h", "1 h 30 min", "2 days". */
export function minutes(t: Translate, m: number): string {
  if (m < 60) return t('dr.minutes', { m });
  if (m < 1440)
    return m % 60 ? t('dr.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 }) : t('dr.hours', { h: m / 60 });
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? t('dr.daysHours', { count: d, h }) : t('dr.days', { count: d });
}

/** "Ready" or "Not ready", coloured. */
export function ReadyBadge({ plan }: { plan: DrPlan }) {
  const t = useT();
  return plan.readiness.ready ? (
    <span className="badge badge-success">{t('dr.ready')}</span>
  ) : (
    <span className="badge badge-danger" title={plan.readiness.reasons.join('\n')}>
      {t('dr.notReady')}
    </span>
  );
}

/** "Needs verification" when it does, else "Verified". */
export function VerifiedBadge({ plan }: { plan: DrPlan }) {
  const t = useT();
  return plan.verification.needed ? (
    <span className="badge badge-warning">{t('dr.needsVerification')}</span>
  ) : (
    <span className="badge badge-success">{t('dr.verified')}</span>
  );
}
