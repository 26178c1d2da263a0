import { Link } from 'react-router-dom';
import { Badge, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDate } from '../../ui';
import { useT } from '../../i18n';
import { useMyPasswords } from './api';

/** The credentials shared with me or my teams. */
export function PasswordsPage() {
  const t = useT();
  const q = useMyPasswords();
  return (
    <>
      <PageHeader title={t('vault.passwords')} description={t('vault.passwordsDescription')} />
      <Panel>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title={t('vault.passwordsLoadFailed')} />
        ) : q.data.items.length === 0 ? (
          <Empty>{t('vault.passwordsEmpty')}</Empty>
        ) : (
          <table className="table" aria-label={t('vault.passwords')}>
            <thead>
              <tr>
                <th>{t('vault.credential')}</th>
                <th>{t('vault.system')}</th>
                <th>{t('vault.loginName')}</th>
                <th>{t('vault.rotationDue')}</th>
                <th>{t('vault.youMay')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((i) => (
                <tr key={i.ciId}>
                  <td>
                    <Link to={`/inventory/${i.ciId}`}>{i.name}</Link>
                  </td>
                  <td>{i.system ?? '—'}</td>
                  <td>{i.username ?? '—'}</td>
                  <td>
                    {formatDate(i.rotationDue)}{' '}
                    {i.rotationOverdue && <Badge tone="danger">{t('vault.due')}</Badge>}
                  </td>
                  <td>{i.level === 'manage' ? t('vault.mayManage') : t('vault.mayReveal')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
