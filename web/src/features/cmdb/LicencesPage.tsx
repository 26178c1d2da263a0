import { Link } from 'react-router-dom';
import type { LicenceCompliance } from '@contracts';
import { ButtonLink, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useLicenceCompliance } from './adminApi';
import { itemPath } from './parts';
import './cmdb.css';

type Row = LicenceCompliance['licences'][number];

const STATE_TEXT: Record<Row['state'], (n: number) => string> = {
  over: (n) => `Over by ${n}`,
  under: (n) => `${n} unused`,
  exact: () => 'Exact',
};

/** Licence compliance: per licence, seats bought against installations found; and unlicensed software. */
export function LicencesPage() {
  const report = useLicenceCompliance();
  const back = { to: '/inventory', label: 'Inventory' };
  const header = (
    <PageHeader
      title="Licence compliance"
      back={back}
      description="Seats bought against the installations discovery found, per product and version range."
      actions={
        <ButtonLink to="/inventory/new?class=licence" variant="primary">
          New licence
        </ButtonLink>
      }
    />
  );
  if (report.isPending) return <Loading />;
  if (report.isError) {
    return (
      <>
        {header}
        <ErrorAlert error={report.error} title="The report could not be made" />
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
          title="Licences"
          padded={false}
          actions={
            <span className={over > 0 ? 'state-over' : 'muted'}>
              {over > 0 ? `${over} over-used` : 'None over-used'}
            </span>
          }
        >
          {licences.length === 0 ? (
            <Empty>No licences recorded. Add an item of the Licence class with its product and seats.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Licences">
                <thead>
                  <tr>
                    <th scope="col">Licence</th>
                    <th scope="col">Product</th>
                    <th scope="col" className="hide-narrow">
                      Versions
                    </th>
                    <th scope="col">Seats</th>
                    <th scope="col">Installed</th>
                    <th scope="col">State</th>
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
                      <td className={`state-${l.state}`}>{STATE_TEXT[l.state](Math.abs(l.difference))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title="Unlicensed software" padded={false}>
          {unlicensed.length === 0 ? (
            <Empty>Every installation found is covered by a licence.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Unlicensed software">
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Installed</th>
                    <th scope="col">Versions</th>
                  </tr>
                </thead>
                <tbody>
                  {unlicensed.map((u) => (
                    <tr key={u.product}>
                      <td className="cell-title">{u.product}</td>
                      <td>{u.installed}</td>
                      <td>
                        {u.versions.map((v) => `${v.version ?? 'unknown'} × ${v.installed}`).join(', ')}
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
