import { Link } from 'react-router-dom';
import type { CatalogueItem } from '@contracts';
import { ButtonLink, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useItems } from './api';
import { useT } from '../../i18n';
import './catalogue.css';

/** Items by category (items without one last), in the server's order. */
function byCategory(items: readonly CatalogueItem[]): [string, CatalogueItem[]][] {
  const groups = new Map<string, CatalogueItem[]>();
  for (const i of items) groups.set(i.category, [...(groups.get(i.category) ?? []), i]);
  return [...groups].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
}

/** The service catalogue: what the caller may request, by category, and the ways to their requests. */
export function CataloguePage() {
  const t = useT();
  const me = useCurrentUser();
  const items = useItems();
  return (
    <>
      <PageHeader
        title={t('catalogue.title')}
        description={t('catalogue.description')}
        actions={
          <>
            <ButtonLink to="/catalogue/requests">{t('catalogue.requests.mine')}</ButtonLink>
            <ButtonLink to="/catalogue/requests?scope=approvals">
              {t('catalogue.requests.approvals')}
            </ButtonLink>
            {me.role !== 'requester' && (
              <ButtonLink to="/catalogue/requests?scope=tasks">{t('catalogue.requests.tasks')}</ButtonLink>
            )}
            {me.role === 'admin' && (
              <ButtonLink to="/catalogue/admin">{t('catalogue.admin.title')}</ButtonLink>
            )}
          </>
        }
      />
      {items.isPending ? (
        <Loading />
      ) : items.error ? (
        <ErrorAlert error={items.error} />
      ) : items.data.length === 0 ? (
        <Panel>
          <p className="empty">{t('catalogue.none')}</p>
        </Panel>
      ) : (
        byCategory(items.data).map(([category, list]) => (
          <Panel key={category || '-'} title={category || t('catalogue.other')}>
            <ul className="catalogue-grid" aria-label={category || t('catalogue.other')}>
              {list.map((i) => (
                <li key={i.id}>
                  <h3>
                    <Link to={`/catalogue/items/${i.id}`}>{i.name}</Link>
                  </h3>
                  {i.description && <p className="muted">{i.description}</p>}
                </li>
              ))}
            </ul>
          </Panel>
        ))
      )}
    </>
  );
}
