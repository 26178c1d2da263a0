import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BackupRun, DeviceBackupStatus } from '@contracts';
import { isApiError } from '../../api/client';
import { Button, ErrorAlert, ListTable, Loading, Panel, SelectField, formatDateTime } from '../../ui';
import { useDeviceRuns, useDeviceStatus, useRepository, useSetUpRepository, useTargets } from './api';
import { rpoText, runSummary, took } from './labels';
import { HealthBadge, RunBadge, When } from './parts';

/** "Set up backups": gives the computer its repository on a chosen target. */
function SetUp({ ciId }: { ciId: string }) {
  const targets = useTargets();
  const setUp = useSetUpRepository(ciId);
  const [targetId, setTargetId] = useState('');
  if (targets.isPending) return <Loading />;
  if (targets.isError)
    return <ErrorAlert error={targets.error} title="The storage targets could not be loaded" />;
  if (targets.data.length === 0)
    return (
      <p className="muted">
        No storage target yet: <Link to="/backups/targets">add one</Link>, then set up this computer’s
        backups.
      </p>
    );
  const chosen = targetId === '' ? (targets.data[0]?.id ?? '') : targetId;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setUp.mutate(chosen);
  };
  return (
    <form className="stack-sm" onSubmit={submit} aria-label="Set up backups">
      <p className="muted">
        This computer has no backup repository yet. Steward creates one for it on a storage target, with a
        password it keeps, so that IT can restore even if the computer is lost.
      </p>
      <ErrorAlert error={setUp.error} title="Backups were not set up" />
      <SelectField label="Storage target" value={chosen} onChange={(e) => setTargetId(e.target.value)}>
        {targets.data.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <div>
        <Button type="submit" variant="primary" busy={setUp.isPending}>
          Set up backups
        </Button>
      </div>
    </form>
  );
}

/** The computer's recovery point in a few lines. */
function StatusFacts({ status }: { status: DeviceBackupStatus }) {
  return (
    <>
      <dt>Recovery point</dt>
      <dd>
        <HealthBadge status={status} /> <span className="rpo-text">{rpoText(status)}</span>
      </dd>
      <dt>Last good snapshot</dt>
      <dd>
        <When iso={status.lastGoodAt} />
      </dd>
      <dt>Policy</dt>
      <dd>{status.policy ?? 'None covers this computer'}</dd>
    </>
  );
}

/** One run in words: outcome, when and how long, what it saved, and what went wrong. */
function RunLine({ run }: { run: BackupRun }) {
  const shown = run.warnings.slice(0, 3);
  return (
    <>
      <div className="run-head">
        <RunBadge status={run.status} />
        <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
        <span className="muted">took {took(run)}</span>
      </div>
      <div className={run.status === 'failed' ? 'run-error' : undefined}>{runSummary(run)}</div>
      {run.warnings.length > 0 && (
        <>
          <div className="muted">
            {run.warnings.length === 1
              ? 'One file could not be read:'
              : `${run.warnings.length} files could not be read, among them:`}
          </div>
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
  const runs = useDeviceRuns(ciId, 10);
  return (
    <ListTable
      query={runs}
      label="Backup runs"
      noun="backup runs"
      empty="No backup has run yet: the agent reports each run once its policy’s schedule comes."
      rowKey={(r) => r.id}
      columns={[{ header: 'Runs, newest first', cell: (r) => <RunLine run={r} /> }]}
    />
  );
}

/**
 * A computer's backups on its inventory page (admins): its recovery point and policy, its repository (or
 * "Set up backups" when it has none), and its runs in readable words.
 */
export function DeviceBackupsPanel({ ciId }: { ciId: string }) {
  const repo = useRepository(ciId);
  const status = useDeviceStatus(ciId);
  const retired = isApiError(status.error, 'not_found');
  return (
    <Panel title="Backups" padded={false}>
      <div className="panel-body stack-sm">
        {repo.isPending ? (
          <Loading />
        ) : repo.isError ? (
          <ErrorAlert error={repo.error} title="The backup repository could not be loaded" />
        ) : (
          <dl className="facts">
            {status.data !== undefined && <StatusFacts status={status.data} />}
            {repo.data !== null && (
              <>
                <dt>Repository</dt>
                <dd>
                  on <Link to="/backups/targets">{repo.data.targetName}</Link>
                  <div className="muted mono">{repo.data.location}</div>
                </dd>
              </>
            )}
          </dl>
        )}
        {status.isError && !retired && (
          <ErrorAlert error={status.error} title="The recovery point could not be loaded" />
        )}
        {retired && <p className="muted">A retired or disposed computer is not backed up any more.</p>}
        {repo.data === null && !retired && <SetUp ciId={ciId} />}
      </div>
      {repo.data !== null && repo.data !== undefined && <RunHistory ciId={ciId} />}
    </Panel>
  );
}
