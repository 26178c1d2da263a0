// Small pieces the plan pages share: readiness and verification badges, durations as people say them.
import type { DrPlan } from '@contracts';
import './dr.css';

/** Minutes as people say them: "45 min", "4 h", "1 h 30 min", "2 days". */
export function minutes(m: number): string {
  if (m < 60) return `${m} min`;
  if (m < 1440) return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return `${d} day${d === 1 ? '' : 's'}${h ? ` ${h} h` : ''}`;
}

/** "Ready" or "Not ready", coloured. */
export function ReadyBadge({ plan }: { plan: DrPlan }) {
  return plan.readiness.ready ? (
    <span className="badge badge-success">Ready</span>
  ) : (
    <span className="badge badge-danger" title={plan.readiness.reasons.join('\n')}>
      Not ready
    </span>
  );
}

/** "Needs verification" when it does, else "Verified". */
export function VerifiedBadge({ plan }: { plan: DrPlan }) {
  return plan.verification.needed ? (
    <span className="badge badge-warning">Needs verification</span>
  ) : (
    <span className="badge badge-success">Verified</span>
  );
}
