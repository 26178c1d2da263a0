import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BackupRun, DeviceBackupStatus } from '@contracts';
import { isApiError } from '../../api/client';
import { Button, ErrorAlert, ListTable, Loading, Panel, SelectField, formatDateTime } from '../../ui';
import { useDeviceRuns, useDeviceStatus, useRepository, useSetUpRepository, useTargets } from './api';
import { useT } from '../../i18n';
import { Message } from '../../i18n/Message';
import { rpoText, runSummary, took } from './labels';
import { HealthBadge, RunBadge, When } from './parts';

/** "Set up backups": gives the computer its repository on a chosen target. */
function SetUp({ ciId }: { ciId: string }) {
  const t = useT();
  const targets = useTargets();
  const setUp = useSetUpRepository(ciId);
  const [targetId, setTargetId] = useState('');
  if (targets.isPending) return <Loading />;
  if (targets.isError) return <ErrorAlert error={targets.error} title={t('backup.targets.notLoaded')} />;
  if (targets.data.length === 0)
    return (
      <p className="muted">
        <Message
          id="backup.device.noTarget"
          values={{ link: (chunks) => <Link to="/backups/targets">{chunks}</Link> }}
        />
      </p>
    );
  const chosen = targetId === '' ? (targets.data[0]?.id ?? '') : targetId;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setUp.mutate(chosen);
  };
  return (
    <form className="stack-sm" onSubmit={submit} aria-label={t('backup.device.setUp')}>
      <p className="muted">{t('backup.device.noRepo')}</p>
      <ErrorAlert error={setUp.error} title={t('backup.device.notSetUp')} />
      <SelectField
        label={t('backup.device.target')}
        value={chosen}
        onChange={(e) => setTargetId(e.target.value)}
      >
        {targets.data.map((target) => (
          <option key={target.id} value={target.id}>
            {target.name}
          </option>
        ))}
      </SelectField>
      <div>
        <Button type="submit" variant="primary" busy={setUp.isPending}>
          {t('backup.device.setUp')}
        </Button>
      </div>
    </form>
  );
}

/** The computer's recovery point in a few lines. */
function StatusFacts({ status }: { status: DeviceBackupStatus }) {
  const t = useT();
  return (
    <>
      <dt>{t('backup.recoveryPoint')}</dt>
      <dd>
        <HealthBadge status={status} /> <span className="rpo-text">{rpoText(t, status)}</span>
      </dd>
      <dt>{t('backup.lastGood')}</dt>
      <dd>
        <When iso={status.lastGoodAt} />
      </dd>
      <dt>{t('backup.policy')}</dt>
      <dd>{status.policy ?? t('backup.device.noPolicy')}</dd>
    </>
  );
}

/** One run in words: outcome, when and how long, what it saved, and what went wrong. */
function RunLine({ run }: { run: BackupRun }) {
  const t = useT();
  const shown = run.warnings.slice(0, 3);
  return (
    <>
      <div className="run-head">
        <RunBadge status={run.status} />
        <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
        <span className="muted">{t('backup.device.took', { time: took(t, run) })}</span>
      </div>
      <div className={run.status === 'failed' ? 'run-error' : undefined}>{runSummary(t, run)}</div>
      {run.warnings.length > 0 && (
        <>
          <div className="muted">{t('backup.device.unreadable', { count: run.warnings.length })}</div>
          <ul className="run-problems">
            {shown.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** The computer's runs, newest first, with "Load more". */
function RunHistory({ ciId }: { ciId: string }) {
  const t = useT();
  const runs = useDeviceRuns(ciId, 10);
  return (
    <ListTable
      query={runs}
      label={t('backup.device.runs')}
      noun={t('backup.device.runsNoun')}
      empty={t('backup.device.noRuns')}
      rowKey={(r) => r.id}
      columns={[{ header: t('backup.device.runsNewest'), cell: (r) => <RunLine run={r} /> }]}
    />
  );
}

/**
 * A computer's backups on its inventory page (admins): its recovery point and policy, its repository (or
 * "Set up backups" when it has none), and its runs in readable words.
 */
export function DeviceBackupsPanel({ ciId }: { ciId: string }) {
  const t = useT();
  const repo = useRepository(ciId);
  const status = useDeviceStatus(ciId);
  const retired = isApiError(status.error, 'not_found');
  return (
    <Panel title={t('backup.backups')} padded={false}>
      <div className="panel-body stack-sm">
        {repo.isPending ? (
          <Loading />
        ) : repo.isError ? (
          <ErrorAlert error={repo.error} title={t('backup.device.repoNotLoaded')} />
        ) : (
          <dl className="facts">
            {status.data !== undefined && <StatusFacts status={status.data} />}
            {repo.data !== null && (
              <>
                <dt>{t('backup.device.repo')}</dt>
                <dd>
                  <Message
                    id="backup.device.repoOn"
                    values={{ target: <Link to="/backups/targets">{repo.data.targetName}</Link> }}
                  />
                  <div className="muted mono">{repo.data.location}</div>
                </dd>
              </>
            )}
          </dl>
        )}
        {status.isError && !retired && (
          <ErrorAlert error={status.error} title={t('backup.device.statusNotLoaded')} />
        )}
        {retired && <p className="muted">{t('backup.device.retired')}</p>}
        {repo.data === null && !retired && <SetUp ciId={ciId} />}
      </div>
      {repo.data !== null && repo.data !== undefined && <RunHistory ciId={ciId} />}
    </Panel>
  );
}
