import { Link } from 'react-router-dom';
import { Badge, ButtonLink, ErrorAlert, Loading, Notice, PageHeader, Panel } from '../../ui';
import { useItems } from './api';
import { useT } from '../../i18n';

/** Every catalogue item, active or not, for admins: who may request it, its approvals and tasks. */
export function ItemsAdminPage() {
  const t = useT();
  const items = useItems('all');
  return (
    <>
      <PageHeader
        title={t('catalogue.admin.title')}
        back={{ to: '/catalogue', label: t('catalogue.title') }}
        actions={
          <ButtonLink to="/catalogue/admin/new" variant="primary">
            {t('catalogue.admin.new')}
          </ButtonLink>
        }
      />
      <Notice />
      <Panel padded={false}>
        {items.isPending ? (
          <Loading />
        ) : items.error ? (
          <ErrorAlert error={items.error} />
        ) : items.data.length === 0 ? (
          <p className="empty">{t('catalogue.none')}</p>
        ) : (
          <table className="table" aria-label={t('catalogue.admin.title')}>
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('catalogue.admin.category')}</th>
                <th>{t('catalogue.admin.audience')}</th>
                <th>{t('catalogue.admin.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((i) => (
                <tr key={i.id}>
                  <td className="cell-strong">
                    <Link to={`/catalogue/admin/${i.id}`}>{i.name}</Link>{' '}
                    {!i.active && <Badge>{t('catalogue.admin.inactive')}</Badge>}
                  </td>
                  <td>{i.category || '—'}</td>
                  <td>
                    {i.audience === 'everyone'
                      ? t('catalogue.audience.everyone')
                      : i.audience === 'roles'
                        ? i.roles.map((r) => t(`role.${r}`)).join(', ')
                        : i.teamNames.join(', ')}
                  </td>
                  <td>
                    {t('catalogue.admin.counts', {
                      fields: i.fields.length,
                      levels: i.approvals.length,
                      tasks: i.tasks.length,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
