import type { ComplianceControl } from '@contracts';
import { useT } from '../../i18n';
import { Badge } from '../../ui';

/** A control's evidence status: green, red, or no evidence query. */
export function StatusBadge({ status }: { status: ComplianceControl['status'] }) {
  const t = useT();
  if (status === 'green') return <Badge tone="success">{t('compliance.status.green')}</Badge>;
  if (status === 'red') return <Badge tone="danger">{t('compliance.status.red')}</Badge>;
  return <span className="muted">{t('compliance.status.none')}</span>;
}

/** A control's place in the statement of applicability. */
export function ApplicabilityBadge({ applicable }: { applicable: boolean | null }) {
  const t = useT();
  if (applicable === null) return <span className="muted">{t('compliance.undecided')}</span>;
  return applicable ? (
    <Badge tone="primary">{t('compliance.applicable')}</Badge>
  ) : (
    <Badge>{t('compliance.excluded')}</Badge>
  );
}
