import type { ChangeStatus, RiskLevel } from '@contracts';
import { Badge } from '../../ui';

/** A status as people say it ("authorisation" stays, "implementing" stays, underscores become spaces). */
export const statusLabel = (s: ChangeStatus) => s.charAt(0).toUpperCase() + s.slice(1);

/** Risk as a coloured badge. */
export function RiskBadge({ risk }: { risk: RiskLevel | null }) {
  if (risk === null) return <span className="muted">Not assessed</span>;
  const tone = risk === 'high' ? 'danger' : risk === 'moderate' ? 'primary' : 'success';
  return <Badge tone={tone}>{`${risk.charAt(0).toUpperCase()}${risk.slice(1)} risk`}</Badge>;
}

/** "3 Mar 2031, 10:00 – 11:00" style window, or "Not planned". */
export function windowText(start: string | null, end: string | null): string {
  if (!start || !end) return 'Not planned';
  const f = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `${f.format(new Date(start))} – ${f.format(new Date(end))}`;
}
