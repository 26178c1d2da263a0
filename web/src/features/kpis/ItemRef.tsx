// A counted row named as people know it (INC-42 and its title, CHG-7, a computer), linked where there is a page.
import { Link } from 'react-router-dom';
import type { KpiItem } from '@contracts';
import { useT } from '../../i18n';

const pageOf = (item: KpiItem): string | null => {
  if (item.id === null) return null;
  switch (item.kind) {
    case 'ticket':
      return `/tickets/${item.id}`;
    case 'change':
      return `/changes/${item.id}`;
    case 'device':
      return `/inventory/${item.id}`;
    case 'drill':
      return `/dr/drills/${item.id}`;
    case 'exposure':
      return '/exposure';
  }
};

/** The row's reference and title. */
export function ItemRef({ item }: { item: KpiItem }) {
  const t = useT();
  if (item.restricted) return <span className="muted">{t('kpis.restricted')}</span>;
  const to = pageOf(item);
  const ref = item.ref ?? '—';
  return (
    <>
      {to ? <Link to={to}>{ref}</Link> : <span>{ref}</span>}
      {item.title && <span>{item.title}</span>}
    </>
  );
}
