import { Link, useSearchParams } from 'react-router-dom';
import type { CatalogueRequest } from '@contracts';
import { Badge, ButtonLink, ErrorAlert, Loading, PageHeader, Panel, formatDateTime } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { requestPath, useRequests, type RequestScope } from './api';
import { STATUS_KEY } from './labels';
import { useT } from '../../i18n';
import './catalogue.css';
import type { MessageKey } from '../../i18n/catalogues';

const TABS: { scope: RequestScope; label: MessageKey; staff?: boolean; admin?: boolean }[] = [
  { scope: 'mine', label: 'catalogue.requests.mine' },
  { scope: 'approvals', label: 'catalogue.requests.approvals' },
  { scope: 'tasks', label: 'catalogue.requests.tasks', staff: true },
  { scope: 'all', label: 'catalogue.requests.all', admin: true },
];

/** Approval and task progress in a few words: "level 1 of 2", "task 2 of 3". */
export function progressOf(r: CatalogueRequest, t: ReturnType<typeof useT>): string {
  if (r.status === 'approval')
    return t('catalogue.progress.level', { level: r.level, of: r.approvals.length });
  const done = r.tasks.filter((x) => x.status === 'done').length;
  return r.tasks.length ? t('catalogue.progress.tasks', { done, of: r.tasks.length }) : '';
}

/** Requests people work from: mine, waiting for my vote (the approvals inbox), my teams' tasks (the queue). */
export function RequestsPage() {
  const t = useT();
  const me = useCurrentUser();
  const [params] = useSearchParams();
  const scope = (TABS.find((x) => x.scope === params.get('scope'))?.scope ?? 'mine') satisfies RequestScope;
  const list = useRequests(scope);
  const tabs = TABS.filter((x) => (!x.staff || me.role !== 'requester') && (!x.admin || me.role === 'admin'));
  return (
    <>
      <PageHeader
        title={t(TABS.find((x) => x.scope === scope)!.label)}
        back={{ to: '/catalogue', label: t('catalogue.title') }}
        actions={<ButtonLink to="/catalogue">{t('catalogue.browse')}</ButtonLink>}
      />
      <nav className="catalogue-tabs" aria-label={t('catalogue.requests.lists')}>
        {tabs.map((x) => (
          <Link
            key={x.scope}
            to={`/catalogue/requests?scope=${x.scope}`}
            aria-current={x.scope === scope ? 'page' : undefined}
          >
            {t(x.label)}
          </Link>
        ))}
      </nav>
      <Panel padded={false}>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorAlert error={list.error} />
        ) : list.data.length === 0 ? (
          <p className="empty">{t('catalogue.requests.none')}</p>
        ) : (
          <table className="table" aria-label={t('catalogue.requests.label')}>
            <thead>
              <tr>
                <th>{t('catalogue.requests.number')}</th>
                <th>{t('catalogue.requests.item')}</th>
                <th>{t('catalogue.requests.requester')}</th>
                <th>{t('common.status')}</th>
                <th>{t('catalogue.requests.progress')}</th>
                <th>{t('catalogue.requests.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.id}>
                  <td className="cell-strong mono">
                    <Link to={requestPath(r.id)}>{r.key}</Link>
                  </td>
                  <td>
                    <Link to={requestPath(r.id)}>{r.itemName}</Link>
                  </td>
                  <td>{r.requesterName}</td>
                  <td>
                    <Badge
                      tone={
                        r.status === 'rejected' ? 'danger' : r.status === 'fulfilled' ? 'success' : 'primary'
                      }
                    >
                      {t(STATUS_KEY[r.status])}
                    </Badge>
                  </td>
                  <td>{progressOf(r, t)}</td>
                  <td className="cell-when">{formatDateTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
