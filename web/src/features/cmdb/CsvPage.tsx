import { useState, type ChangeEvent } from 'react';
import type { CsvImportResult } from '@contracts';
import { Alert, Button, Options, PageHeader, Panel, SelectField, capitalise } from '../../ui';
import { exportUrl, useImportCsv } from './adminApi';
import { useClasses } from './api';
import { ProblemAlert } from './parts';
import './cmdb.css';

/** The rows a dry run would write, and every row problem by line and column. */
function Preview({ result }: { result: CsvImportResult }) {
  return (
    <div className="stack-sm">
      <p>
        {result.dryRun ? 'The import would create' : 'Created'} <strong>{result.created}</strong>, update{' '}
        <strong>{result.updated}</strong> and leave <strong>{result.unchanged}</strong> unchanged.
      </p>
      {result.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Row problems">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={i} className="row-error">
                  <td>{e.line}</td>
                  <td className="mono">{e.column === '' ? '—' : e.column}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Rows">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Action</th>
                <th scope="col">Asset tag</th>
                <th scope="col">Name</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{capitalise(r.action)}</td>
                  <td className="mono">{r.assetTag ?? '—'}</td>
                  <td>{r.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** CSV export of the inventory, and import with a dry-run preview first (all rows or none are written). */
export function CsvPage() {
  const classes = useClasses();
  const [classKey, setClassKey] = useState('');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const preview = useImportCsv();
  const run = useImportCsv();
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    preview.reset();
    run.reset();
    setFile(f === undefined ? null : { name: f.name, text: await f.text() });
  };
  const previewed = preview.data;
  return (
    <>
      <PageHeader
        title="Import and export"
        back={{ to: '/inventory', label: 'Inventory' }}
        description="Move items in and out as CSV. An import updates items by asset tag and creates the rest."
      />
      <div className="stack">
        <Panel title="Export">
          <div className="inline-form">
            <SelectField label="Class" value={classKey} onChange={(e) => setClassKey(e.target.value)}>
              <option value="">Every class</option>
              <Options items={classes.data} value={(c) => c.key} label={(c) => c.name} />
            </SelectField>
            <a className="btn btn-secondary" href={exportUrl({ classKey: classKey || undefined })} download>
              Download CSV
            </a>
          </div>
        </Panel>
        <Panel title="Import">
          <div className="stack-sm">
            <p className="muted">
              Columns: class and name are needed; asset_tag, serial, model, manufacturer, status, owner_email,
              team, location_tag, purchase_date, cost, warranty_end, notes and custom (a JSON object) are
              optional. Check the file with a preview first: nothing is written until you import, and then
              every row or none.
            </p>
            <div className="csv-drop">
              <label className="field-label" htmlFor="csv-file">
                CSV file
              </label>
              <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void pick(e)} />
            </div>
            <div className="button-row">
              <Button
                disabled={file === null}
                busy={preview.isPending}
                onClick={() => file !== null && preview.mutate({ csv: file.text, dryRun: true })}
              >
                Preview
              </Button>
              <Button
                variant="primary"
                disabled={
                  file === null || previewed === undefined || previewed.errors.length > 0 || run.isSuccess
                }
                busy={run.isPending}
                onClick={() => file !== null && run.mutate({ csv: file.text, dryRun: false })}
              >
                Import
              </Button>
            </div>
            <ProblemAlert error={preview.error} title="The file cannot be imported" />
            <ProblemAlert error={run.error} title="Nothing was imported" />
            {run.data !== undefined && (
              <Alert tone="success" title="Imported">
                {run.data.created} created, {run.data.updated} updated, {run.data.unchanged} unchanged.
              </Alert>
            )}
            {previewed !== undefined && run.data === undefined && (
              <>
                {previewed.errors.length > 0 ? (
                  <Alert
                    tone="error"
                    title={`${previewed.errors.length} row problem(s): fix the file and preview again`}
                  >
                    Nothing will be imported while any row has a problem.
                  </Alert>
                ) : (
                  <Alert tone="info" title="The preview found no problems">
                    Import to write these rows.
                  </Alert>
                )}
                <Preview result={previewed} />
              </>
            )}
          </div>
        </Panel>
      </div>
    </>
  );
}
