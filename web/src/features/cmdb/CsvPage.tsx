import { useState, type ChangeEvent } from 'react';
import type { CsvImportResult } from '@contracts';
import { Alert, Button, Options, PageHeader, Panel, SelectField } from '../../ui';
import { useT } from '../../i18n';
import { Message } from '../../i18n/Message';
import { exportUrl, useImportCsv } from './adminApi';
import { useClasses } from './api';
import { ProblemAlert } from './parts';
import './cmdb.css';

/** The rows a dry run would write, and every row problem by line and column. */
function Preview({ result }: { result: CsvImportResult }) {
  const t = useT();
  const strong = (n: number) => <strong>{n}</strong>;
  return (
    <div className="stack-sm">
      <p>
        <Message
          id={result.dryRun ? 'cmdb.csv.wouldWrite' : 'cmdb.csv.wrote'}
          values={{
            created: strong(result.created),
            updated: strong(result.updated),
            unchanged: strong(result.unchanged),
          }}
        />
      </p>
      {result.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={t('cmdb.csv.problems')}>
            <thead>
              <tr>
                <th scope="col">{t('cmdb.csv.line')}</th>
                <th scope="col">{t('cmdb.csv.column')}</th>
                <th scope="col">{t('cmdb.csv.problem')}</th>
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
          <table className="table" aria-label={t('cmdb.csv.rows')}>
            <thead>
              <tr>
                <th scope="col">{t('cmdb.csv.line')}</th>
                <th scope="col">{t('cmdb.csv.action')}</th>
                <th scope="col">{t('cmdb.assetTag')}</th>
                <th scope="col">{t('common.name')}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{t(`cmdb.csv.action.${r.action}`)}</td>
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
  const t = useT();
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
        title={t('cmdb.csv.title')}
        back={{ to: '/inventory', label: t('cmdb.inventory') }}
        description={t('cmdb.csv.about')}
      />
      <div className="stack">
        <Panel title={t('cmdb.csv.export')}>
          <div className="inline-form">
            <SelectField
              label={t('cmdb.class')}
              value={classKey}
              onChange={(e) => setClassKey(e.target.value)}
            >
              <option value="">{t('cmdb.csv.everyClass')}</option>
              <Options items={classes.data} value={(c) => c.key} label={(c) => c.name} />
            </SelectField>
            <a className="btn btn-secondary" href={exportUrl({ classKey: classKey || undefined })} download>
              {t('cmdb.csv.download')}
            </a>
          </div>
        </Panel>
        <Panel title={t('cmdb.csv.import')}>
          <div className="stack-sm">
            <p className="muted">{t('cmdb.csv.columns')}</p>
            <div className="csv-drop">
              <label className="field-label" htmlFor="csv-file">
                {t('cmdb.csv.file')}
              </label>
              <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void pick(e)} />
            </div>
            <div className="button-row">
              <Button
                disabled={file === null}
                busy={preview.isPending}
                onClick={() => file !== null && preview.mutate({ csv: file.text, dryRun: true })}
              >
                {t('cmdb.csv.preview')}
              </Button>
              <Button
                variant="primary"
                disabled={
                  file === null || previewed === undefined || previewed.errors.length > 0 || run.isSuccess
                }
                busy={run.isPending}
                onClick={() => file !== null && run.mutate({ csv: file.text, dryRun: false })}
              >
                {t('cmdb.csv.import')}
              </Button>
            </div>
            <ProblemAlert error={preview.error} title={t('cmdb.csv.cannotImport')} />
            <ProblemAlert error={run.error} title={t('cmdb.csv.nothingImported')} />
            {run.data !== undefined && (
              <Alert tone="success" title={t('cmdb.csv.imported')}>
                {t('cmdb.csv.importedBody', {
                  created: run.data.created,
                  updated: run.data.updated,
                  unchanged: run.data.unchanged,
                })}
              </Alert>
            )}
            {previewed !== undefined && run.data === undefined && (
              <>
                {previewed.errors.length > 0 ? (
                  <Alert tone="error" title={t('cmdb.csv.rowProblems', { count: previewed.errors.length })}>
                    {t('cmdb.csv.blocked')}
                  </Alert>
                ) : (
                  <Alert tone="info" title={t('cmdb.csv.clean')}>
                    {t('cmdb.csv.cleanBody')}
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
