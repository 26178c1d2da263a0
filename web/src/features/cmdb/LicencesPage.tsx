import { Link } from 'react-router-dom';
import { ButtonLink, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useLicenceCompliance } from './adminApi';
import { itemPath } from './parts';
import { useT } from '../../i18n';
import './cmdb.css';

/** Licence compliance: per licence, seats bought against installations found; and unlicensed software. */
export function LicencesPage() {
  const t = useT();
  const report = useLicenceCompliance();
  const back = { to: '/inventory', label: t('cmdb.inventory') };
  const header = (
    <PageHeader
      title={t('cmdb.lic.title')}
      back={back}
      description={t('cmdb.lic.about')}
      actions={
        <ButtonLink to="/inventory/new?class=licence" variant="primary">
          {t('cmdb.lic.new')}
        </ButtonLink>
      }
    />
  );
  if (report.isPending) return <Loading />;
  if (report.isError) {
    return (
      <>
        {header}
        <ErrorAlert error={report.error} title={t('cmdb.lic.failed')} />
      </>
    );
  }
  const { licences, unlicensed } = report.data;
  const over = licences.filter((l) => l.state === 'over').length;
  return (
    <>
      {header}
      <div className="stack">
        <Panel
          title={t('cmdb.licences')}
          padded={false}
          actions={
            <span className={over > 0 ? 'state-over' : 'muted'}>
              {over > 0 ? t('cmdb.lic.overUsed', { count: over }) : t('cmdb.lic.noneOver')}
            </span>
          }
        >
          {licences.length === 0 ? (
            <Empty>{t('cmdb.lic.none')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('cmdb.licences')}>
                <thead>
                  <tr>
                    <th scope="col">{t('cmdb.lic.licence')}</th>
                    <th scope="col">{t('cmdb.lic.product')}</th>
                    <th scope="col" className="hide-narrow">
                      {t('cmdb.lic.versions')}
                    </th>
                    <th scope="col">{t('cmdb.lic.seats')}</th>
                    <th scope="col">{t('cmdb.lic.installed')}</th>
                    <th scope="col">{t('cmdb.agents.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {licences.map((l) => (
                    <tr key={l.licenceId}>
                      <td className="cell-title">
                        <Link to={itemPath(l.licenceId)}>{l.name}</Link>
                      </td>
                      <td>{l.product}</td>
                      <td className="hide-narrow mono">{l.versions}</td>
                      <td>{l.seats}</td>
                      <td>{l.installed}</td>
                      <td className={`state-${l.state}`}>
                        {t(`cmdb.lic.state.${l.state}`, { count: Math.abs(l.difference) })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title={t('cmdb.lic.unlicensed')} padded={false}>
          {unlicensed.length === 0 ? (
            <Empty>{t('cmdb.lic.allCovered')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('cmdb.lic.unlicensed')}>
                <thead>
                  <tr>
                    <th scope="col">{t('cmdb.lic.product')}</th>
                    <th scope="col">{t('cmdb.lic.installed')}</th>
                    <th scope="col">{t('cmdb.lic.versions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {unlicensed.map((u) => (
                    <tr key={u.product}>
                      <td className="cell-title">{u.product}</td>
                      <td>{u.installed}</td>
                      <td>
                        {u.versions
                          .map((v) => `${v.version ?? t('cmdb.lic.unknownVersion')} × ${v.installed}`)
                          .join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
