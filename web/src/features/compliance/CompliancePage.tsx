import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { useT } from '../../i18n';
import {
  Alert,
  Badge,
  Button,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  formatNumber,
} from '../../ui';
import { frameworkPath, useFrameworks, useImportFile, useLoadBuiltin } from './api';

/** Managers' form to import a control set file with the full texts they are licensed for. */
function ImportForm() {
  const t = useT();
  const imp = useImportFile();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<'json' | 'csv'>('json');
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  return (
    <Panel title={t('compliance.import.title')}>
      <p className="muted">{t('compliance.import.about')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file) imp.mutate({ content: file, format, key, name });
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="compliance-file">
            {t('compliance.import.file')}
          </label>
          <input
            id="compliance-file"
            type="file"
            accept=".json,.csv"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f?.name.toLowerCase().endsWith('.csv')) setFormat('csv');
            }}
          />
        </div>
        <SelectField
          label={t('compliance.import.format')}
          value={format}
          onChange={(e) => setFormat(e.target.value as 'json' | 'csv')}
        >
          <option value="json">JSON</option>
          <option value="csv">CSV</option>
        </SelectField>
        {format === 'csv' && (
          <>
            <TextField
              label={t('compliance.import.key')}
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
            <TextField
              label={t('compliance.import.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </>
        )}
        <ErrorAlert error={imp.error} title={t('compliance.import.failed')} />
        {imp.data && (
          <Alert tone="success" title={imp.data.framework.name}>
            {t('compliance.import.done', { added: imp.data.added, updated: imp.data.updated })}
          </Alert>
        )}
        <Button type="submit" variant="primary" disabled={!file} busy={imp.isPending}>
          {t('compliance.import.submit')}
        </Button>
      </form>
    </Panel>
  );
}

/** The frameworks, the control sets Steward ships, and the import (managers). */
export function CompliancePage() {
  const t = useT();
  const q = useFrameworks();
  const load = useLoadBuiltin();
  const manager = ['manager', 'admin'].includes(useCurrentUser().role);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('compliance.loadFailed')} />;
  const missing = q.data.catalogue.filter((s) => !q.data.items.some((f) => f.key === s.key));
  return (
    <>
      <PageHeader title={t('compliance.title')} description={t('compliance.description')} />
      <Panel title={t('compliance.frameworks')}>
        {q.data.items.length === 0 ? (
          <Empty>{manager ? t('compliance.noFrameworks') : t('compliance.noneOwned')}</Empty>
        ) : (
          <table className="table" aria-label={t('compliance.frameworks')}>
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('compliance.controls')}</th>
                <th>{t('compliance.soa')}</th>
                <th>{t('compliance.evidence')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((f) => (
                <tr key={f.id}>
                  <td className="cell-strong">
                    <Link to={frameworkPath(f.id)}>{f.name}</Link>
                    {f.fullText && <span className="muted"> · {t('compliance.fullText')}</span>}
                  </td>
                  <td>{formatNumber(f.controls)}</td>
                  <td>
                    {t('compliance.soaCounts', {
                      applicable: f.applicable,
                      excluded: f.excluded,
                      undecided: f.undecided,
                    })}
                  </td>
                  <td>
                    {f.red > 0 && <Badge tone="danger">{t('compliance.redCount', { count: f.red })}</Badge>}{' '}
                    {f.green > 0 && (
                      <Badge tone="success">{t('compliance.greenCount', { count: f.green })}</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {manager && missing.length > 0 && (
        <Panel title={t('compliance.shipped')}>
          <p className="muted">{t('compliance.shippedAbout')}</p>
          <ErrorAlert error={load.error} title={t('compliance.import.failed')} />
          <div className="button-row">
            {missing.map((s) => (
              <Button
                key={s.key}
                busy={load.isPending && load.variables === s.key}
                onClick={() => load.mutate(s.key)}
              >
                {t('compliance.load', { name: s.name, count: s.controls })}
              </Button>
            ))}
          </div>
        </Panel>
      )}
      {manager && <ImportForm />}
    </>
  );
}
