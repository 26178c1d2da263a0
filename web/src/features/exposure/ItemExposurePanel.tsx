import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { EXPOSURE_SEVERITIES, type Exposure } from '@contracts';
import { api, type Page } from '../../api/client';
import { useT } from '../../i18n';
import { Badge, Panel } from '../../ui';
import { severityLabel, severityTone } from './labels';

/** How many open exposures are counted at most (the list is worst first, so the worst counts are exact). */
const COUNTED = 200;

/**
 * A computer's open vulnerability exposure on its item page: counts by severity and a link to the exposure
 * page filtered to it. Nothing at all when the item has no open exposure (or the list cannot be read).
 */
export function ItemExposurePanel({ ciId }: { ciId: string }) {
  const t = useT();
  const q = useQuery({
    queryKey: ['exposure', 'list', ciId, '', 'open'],
    queryFn: ({ signal }) =>
      api.get<Page<Exposure>>(
        '/api/v1/exposures',
        { limit: COUNTED, status: 'open', computerId: ciId },
        signal,
      ),
  });
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  const overdue = items.filter((e) => e.overdue).length;
  return (
    <Panel title={t('exposure.itemPanel')}>
      <div className="stack-sm">
        <ul className="plain-list" aria-label={t('exposure.itemCounts')}>
          {EXPOSURE_SEVERITIES.map((s) => {
            const n = items.filter((e) => e.severity === s).length;
            return n === 0 ? null : (
              <li key={s}>
                <Badge tone={severityTone(s)}>{severityLabel(t, s)}</Badge>{' '}
                {t('exposure.itemCount', { count: n })}
              </li>
            );
          })}
        </ul>
        {overdue > 0 && <Badge tone="danger">{t('exposure.itemOverdue', { count: overdue })}</Badge>}
        {q.data?.nextCursor && <p className="muted">{t('exposure.itemCountedMost', { count: COUNTED })}</p>}
        <Link to={`/exposure?computerId=${encodeURIComponent(ciId)}`}>{t('exposure.itemLink')}</Link>
      </div>
    </Panel>
  );
}
