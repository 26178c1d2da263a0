import type { ExposureSeverity } from '@contracts';
import type { Translate } from '../../i18n';

const SEVERITY = {
  critical: 'exposure.severity.critical',
  high: 'exposure.severity.high',
  medium: 'exposure.severity.medium',
  low: 'exposure.severity.low',
  unknown: 'exposure.severity.unknown',
} as const;

/** An advisory severity as people read it, in the active language. */
export const severityLabel = (t: Translate, s: ExposureSeverity): string => t(SEVERITY[s]);

/** Badge tone of a severity: critical and high stand out. */
export const severityTone = (s: ExposureSeverity) =>
  s === 'critical' || s === 'high' ? 'danger' : undefined;
