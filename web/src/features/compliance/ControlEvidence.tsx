import { useState } from 'react';
import type { AddMapping, ComplianceControl, ComplianceEvidence, EvidenceSource } from '@contracts';
import type { MessageKey } from '../../i18n/catalogues';
import { useT } from '../../i18n';
import {
  Badge,
  Button,
  Empty,
  ErrorAlert,
  Loading,
  Panel,
  SelectField,
  TextAreaField,
  TextField,
  formatDate,
  formatDateTime,
} from '../../ui';
import { useAddMapping, useEndMapping, useEvidence, useUploadEvidence } from './api';

const SOURCES: readonly EvidenceSource[] = [
  'backup_success',
  'dr_drills',
  'approved_changes',
  'inventory_coverage',
  'access_reviews',
  'audit_chain',
];
const sourceKey = (s: EvidenceSource) => `compliance.source.${s}` as MessageKey;
/** The sources whose rule has a lowest percentage. */
const WITH_PERCENT: readonly EvidenceSource[] = ['backup_success', 'inventory_coverage'];

/** Passed, failed, or an uploaded file. */
function Verdict({ e }: { e: ComplianceEvidence }) {
  const t = useT();
  if (e.passed === null) return <Badge>{t('compliance.uploaded')}</Badge>;
  return e.passed ? (
    <Badge tone="success">{t('compliance.passed')}</Badge>
  ) : (
    <Badge tone="danger">{t('compliance.failed')}</Badge>
  );
}

/** Managers' form mapping an evidence query to the control. */
function AddMappingForm({ c }: { c: ComplianceControl }) {
  const t = useT();
  const add = useAddMapping(c.id);
  const [source, setSource] = useState<EvidenceSource>('backup_success');
  const [days, setDays] = useState('');
  const [percent, setPercent] = useState('');
  const [from, setFrom] = useState(new Date().toISOString().slice(0, 10));
  const submit = () => {
    const params: Record<string, number> = {};
    if (days !== '' && source !== 'audit_chain') params.days = Number(days);
    if (percent !== '' && WITH_PERCENT.includes(source)) params.minPercent = Number(percent);
    add.mutate({ source, params, effectiveFrom: from } as AddMapping);
  };
  return (
    <form
      aria-label={t('compliance.addMapping')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="form-row">
        <SelectField
          label={t('compliance.source')}
          value={source}
          onChange={(e) => setSource(e.target.value as EvidenceSource)}
        >
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(sourceKey(s))}
            </option>
          ))}
        </SelectField>
        {source !== 'audit_chain' && (
          <TextField
            label={t('compliance.days')}
            type="number"
            min={1}
            value={days}
            placeholder={t('compliance.default')}
            onChange={(e) => setDays(e.target.value)}
          />
        )}
        {WITH_PERCENT.includes(source) && (
          <TextField
            label={t('compliance.minPercent')}
            type="number"
            min={0}
            max={100}
            value={percent}
            placeholder={t('compliance.default')}
            onChange={(e) => setPercent(e.target.value)}
          />
        )}
        <TextField
          label={t('compliance.effectiveFrom')}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </div>
      <ErrorAlert error={add.error} title={t('compliance.saveFailed')} />
      <Button type="submit" busy={add.isPending}>
        {t('compliance.addMapping')}
      </Button>
    </form>
  );
}

/** The evidence queries mapped to the control, each with its rule and latest result. */
export function Mappings({ c }: { c: ComplianceControl }) {
  const t = useT();
  const end = useEndMapping(c.id);
  return (
    <Panel title={t('compliance.mappings')}>
      {c.mappings.length === 0 ? (
        <Empty>{t('compliance.noMappings')}</Empty>
      ) : (
        <table className="table" aria-label={t('compliance.mappings')}>
          <thead>
            <tr>
              <th>{t('compliance.source')}</th>
              <th>{t('compliance.rule')}</th>
              <th>{t('compliance.latest')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {c.mappings.map((m) => (
              <tr key={m.id}>
                <td className="cell-strong">{t(sourceKey(m.source))}</td>
                <td>
                  {m.params.days !== undefined && t('compliance.ruleDays', { days: m.params.days })}{' '}
                  {m.params.minPercent !== undefined &&
                    t('compliance.rulePercent', { percent: m.params.minPercent })}{' '}
                  <span className="muted">
                    {t('compliance.effectiveSince', { date: formatDate(m.effectiveFrom) })}
                  </span>
                </td>
                <td>
                  {m.latest ? (
                    <>
                      <Verdict e={m.latest} /> {m.latest.summary}
                    </>
                  ) : (
                    <span className="muted">{t('compliance.notCollected')}</span>
                  )}
                </td>
                <td>
                  {c.canManage && (
                    <Button
                      size="sm"
                      busy={end.isPending && end.variables === m.id}
                      onClick={() => end.mutate(m.id)}
                    >
                      {t('compliance.endMapping')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorAlert error={end.error} title={t('compliance.saveFailed')} />
      {c.canManage && <AddMappingForm c={c} />}
    </Panel>
  );
}

/** Upload evidence files with a note. */
function UploadForm({ id }: { id: string }) {
  const t = useT();
  const up = useUploadEvidence(id);
  const [files, setFiles] = useState<File[]>([]);
  const [note, setNote] = useState('');
  return (
    <form
      aria-label={t('compliance.upload')}
      onSubmit={(e) => {
        e.preventDefault();
        up.mutate({ files, note }, { onSuccess: () => setNote('') });
      }}
    >
      <div className="field">
        <label className="field-label" htmlFor="evidence-files">
          {t('compliance.files')}
        </label>
        <input
          id="evidence-files"
          type="file"
          multiple
          onChange={(e) => setFiles([...(e.target.files ?? [])])}
        />
      </div>
      <TextAreaField
        label={t('compliance.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={2}
      />
      <ErrorAlert error={up.error} title={t('compliance.uploadFailed')} />
      <Button type="submit" disabled={files.length === 0} busy={up.isPending}>
        {t('compliance.upload')}
      </Button>
    </form>
  );
}

/** The control's evidence, newest first: collected results and uploaded files, each with its SHA-256. */
export function EvidenceHistory({ id }: { id: string }) {
  const t = useT();
  const q = useEvidence(id);
  return (
    <Panel title={t('compliance.history')}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title={t('compliance.loadFailed')} />
      ) : q.data.items.length === 0 ? (
        <Empty>{t('compliance.noEvidence')}</Empty>
      ) : (
        <table className="table" aria-label={t('compliance.history')}>
          <thead>
            <tr>
              <th>{t('common.when')}</th>
              <th>{t('compliance.source')}</th>
              <th>{t('compliance.result')}</th>
              <th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>
                  {e.source ? t(sourceKey(e.source)) : <a href={e.downloadUrl}>{e.fileName}</a>}
                  <div className="muted">{e.by}</div>
                </td>
                <td>
                  <Verdict e={e} /> {e.summary}
                </td>
                <td>
                  <a className="mono" href={e.downloadUrl} title={e.sha256}>
                    {e.sha256.slice(0, 12)}…
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <UploadForm id={id} />
    </Panel>
  );
}
