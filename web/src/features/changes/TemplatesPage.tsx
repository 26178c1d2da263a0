import { Link, useLocation } from 'react-router-dom';
import { Alert, ButtonLink, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useT } from '../../i18n';
import { templates } from './adminApi';
import { TypeName } from './parts';

/** The change templates (standard changes' catalogue, and questionnaires), each opened for editing. */
export function TemplatesPage() {
  const t = useT();
  const list = templates.useList();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return (
    <>
      <PageHeader
        title={t('changes.templates')}
        description={t('changes.templatesIntro')}
        back={{ to: '/changes', label: t('nav.changes') }}
        actions={
          <ButtonLink to="/changes/templates/new" variant="primary">
            {t('changes.newTemplate')}
          </ButtonLink>
        }
      />
      <div className="stack">
        {notice && <Alert tone="success">{notice}</Alert>}
        <Panel>
          {list.isPending && <Loading />}
          {list.isError && <ErrorAlert error={list.error} />}
          {list.data?.length === 0 && <Empty>{t('changes.noTemplates')}</Empty>}
          {list.data && list.data.length > 0 && (
            <table className="table" aria-label={t('changes.templates')}>
              <thead>
                <tr>
                  <th>{t('common.name')}</th>
                  <th>{t('changes.type')}</th>
                  <th>{t('changes.questions')}</th>
                  <th>{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((x) => (
                  <tr key={x.id}>
                    <td className="cell-strong">
                      <Link to={`/changes/templates/${x.id}`}>{x.name}</Link>
                    </td>
                    <td>
                      <TypeName type={x.type} />
                    </td>
                    <td>{x.questions.length}</td>
                    <td>{x.active ? t('common.active') : t('common.inactive')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </>
  );
}
