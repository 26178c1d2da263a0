import type { DrillSummary } from '@contracts';
import { Badge } from '../../../ui';
import { useT } from '../../../i18n';
import { statusLabel, versusTarget } from './labels';

/** A drill's outcome as a badge. */
export function DrillBadge({ status }: { status: DrillSummary['status'] }) {
  const t = useT();
  const tone = status === 'passed' ? 'success' : status === 'failed' ? 'danger' : 'primary';
  return <Badge tone={tone}>{statusLabel(t, status)}</Badge>;
}

/** A measure against its target: "12 min (target 4.0 h)", marked when it is over. */
export function Measure({ value, target }: { value: number | null; target: number | null }) {
  const t = useT();
  const m = versusTarget(t, value, target);
  return <span className={m.ok === false ? 'drill-over' : undefined}>{m.text}</span>;
}
