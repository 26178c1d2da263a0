import type { DrillSummary } from '@contracts';
import { Badge } from '../../../ui';
import { STATUS_LABEL, versusTarget } from './labels';

/** A drill's outcome as a badge. */
export function DrillBadge({ status }: { status: DrillSummary['status'] }) {
  const tone = status === 'passed' ? 'success' : status === 'failed' ? 'danger' : 'primary';
  return <Badge tone={tone}>{STATUS_LABEL[status]}</Badge>;
}

/** A measure against its target: "12 min (target 4.0 h)", marked when it is over. */
export function Measure({ value, target }: { value: number | null; target: number | null }) {
  const m = versusTarget(value, target);
  return <span className={m.ok === false ? 'drill-over' : undefined}>{m.text}</span>;
}
