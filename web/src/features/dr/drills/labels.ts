// Words for drills, in the user's language: durations, outcomes, what a step did. Each takes useT()'s t.
import type { DrillStep, DrillSummary } from '@contracts';
import type { Translate } from '../../../i18n';

/** A duration as people read it: "42 s", "12 min", "3.5 h". */
export function duration(t: Translate, s: number | null): string {
  if (s === null) return '—';
  const r = Math.round(s);
  if (r < 120) return t('dr.drill.seconds', { n: r });
  if (r < 7200) return t('dr.drill.minutes', { n: Math.round(r / 60) });
  return t('dr.drill.hours', { n: r / 3600 });
}

/** "12 min (target 4.0 h)", and whether it is within the target. */
export function versusTarget(
  t: Translate,
  value: number | null,
  target: number | null,
): { text: string; ok: boolean | null } {
  const ok = value === null || target === null ? null : value <= target;
  return { text: t('dr.drill.versus', { value: duration(t, value), target: duration(t, target) }), ok };
}

/** A drill's outcome in words ("Passed"). */
export function statusLabel(t: Translate, status: DrillSummary['status']): string {
  return t(`dr.drill.status.${status}`);
}

/** What a step did, in a sentence. */
export function stepText(t: Translate, s: DrillStep): string {
  if (s.kind === 'manual')
    return s.tickedAt ? t('dr.drill.tickedBy', { name: s.tickedBy ?? '' }) : t('dr.drill.waitingTick');
  if (s.status === 'pending') return t('dr.drill.waitingTurn');
  if (s.status === 'running') return t('dr.drill.restoring');
  if (s.error) return s.error;
  if (s.mismatches > 0) return t('dr.drill.mismatches', { n: s.mismatches, count: s.files });
  return t('dr.drill.verified', { n: s.verifiedFiles, count: s.files });
}
