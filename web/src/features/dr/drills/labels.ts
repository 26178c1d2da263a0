// Words for drills: durations, outcomes, what a step did.
import type { DrillStep, DrillSummary } from '@contracts';

/** A duration as people read it: "42 s", "12 min", "3.5 h". */
export function duration(s: number | null): string {
  if (s === null) return '—';
  const r = Math.round(s);
  if (r < 120) return `${r} s`;
  if (r < 7200) return `${Math.round(r / 60)} min`;
  return `${(r / 3600).toFixed(1)} h`;
}

/** "12 min (target 4.0 h)", and whether it is within the target. */
export function versusTarget(
  value: number | null,
  target: number | null,
): { text: string; ok: boolean | null } {
  const ok = value === null || target === null ? null : value <= target;
  return { text: `${duration(value)} (target ${duration(target)})`, ok };
}

export const STATUS_LABEL: Record<DrillSummary['status'], string> = {
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What a step did, in a sentence. */
export function stepText(s: DrillStep): string {
  if (s.kind === 'manual') return s.tickedAt ? `Ticked off by ${s.tickedBy}` : 'Waiting to be ticked off';
  if (s.status === 'pending') return 'Waiting for its turn';
  if (s.status === 'running') return 'Restoring and verifying…';
  if (s.error) return s.error;
  if (s.mismatches > 0)
    return `${s.mismatches} of ${s.files} ${s.files === 1 ? 'file' : 'files'} did not match the snapshot`;
  return `${s.verifiedFiles} of ${s.files} ${s.files === 1 ? 'file' : 'files'} restored and verified`;
}
