import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { BackupRestore } from '@contracts';
import { Alert, Badge, ConfirmButton, ErrorAlert, Panel, formatDateTime } from '../../ui';
import { useCancelRestore, useTicketRestores } from './api';

const STATE: Record<BackupRestore['state'], string> = {
  queued: 'Waiting for the computer',
  running: 'Restoring',
  succeeded: 'Restored',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;

function RestoreFacts({ r }: { r: BackupRestore }) {
  const p = r.progress;
  const pct = p.bytesTotal > 0 ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0;
  return (
    <dl className="facts" aria-label={`Restore from ${r.sourceName}`}>
      <dt>Status</dt>
      <dd>
        <Badge tone={r.state === 'succeeded' ? 'success' : r.state === 'failed' ? 'danger' : 'primary'}>
          {STATE[r.state]}
        </Badge>
      </dd>
      <dt>Files</dt>
      <dd>{r.paths.join(', ')}</dd>
      <dt>From</dt>
      <dd>
        the backup of {r.sourceName} (snapshot {r.snapshotId.slice(0, 8)})
      </dd>
      <dt>Onto</dt>
      <dd>
        {r.destinationName}, into “{r.destinationFolder}”
      </dd>
      {(r.state === 'running' || r.finishedAt) && (
        <>
          <dt>Progress</dt>
          <dd>
            {r.state === 'running' && <progress max={100} value={pct} aria-label="Restore progress" />}{' '}
            {p.filesDone} of {p.filesTotal} files, {size(p.bytesDone)} of {size(p.bytesTotal)}
          </dd>
        </>
      )}
      {r.verified !== null && (
        <>
          <dt>Checked</dt>
          <dd>
            {r.verified ? 'Every restored file matches the backup' : 'Not every file matches the backup'}
          </dd>
        </>
      )}
      {r.skipped.length > 0 && (
        <>
          <dt>Kept as they were</dt>
          <dd>{r.skipped.join(', ')}</dd>
        </>
      )}
      {r.error && (
        <>
          <dt>Problem</dt>
          <dd>{r.error}</dd>
        </>
      )}
      <dt>Finished</dt>
      <dd>{formatDateTime(r.finishedAt)}</dd>
    </dl>
  );
}

/**
 * Cancels a queued or running restore (two clicks). A running one stops at its computer's next progress report
 * and leaves the destination as it was; the outcome is shown once the server answers.
 */
function CancelRestore({ r, ticketId }: { r: BackupRestore; ticketId: string }) {
  const cancel = useCancelRestore(ticketId);
  const was = cancel.variables;
  if (cancel.isSuccess && was?.id === r.id)
    return (
      <Alert tone="success" title="Restore cancelled">
        {was.state === 'running'
          ? `${r.destinationName} stops at its next progress report and leaves “${r.destinationFolder}” as it was.`
          : `${r.destinationName} will not restore these files.`}
      </Alert>
    );
  // A refusal stays in view after the restore has ended meanwhile (it says why: "the restore has succeeded").
  const open = r.state === 'queued' || r.state === 'running';
  if (!open && !cancel.error) return null;
  return (
    <div className="withdraw">
      <ErrorAlert error={cancel.error} title="The restore was not cancelled" />
      {open && (
        <ConfirmButton
          confirmLabel="Confirm: cancel this restore"
          busy={cancel.isPending}
          onConfirm={() => cancel.mutate(r)}
        >
          Cancel this restore
        </ConfirmButton>
      )}
    </div>
  );
}

/**
 * The restores carried out for a ticket (portal and console): state, progress while it runs, and the result.
 * When one finishes, the ticket and its conversation are read again (the agent's result resolves the ticket).
 */
export function RestorePanel({ ticketId }: { ticketId: string }) {
  const q = useTicketRestores(ticketId);
  const qc = useQueryClient();
  const items = q.data?.items ?? [];
  const busy = items.some((r) => r.state === 'queued' || r.state === 'running');
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy) {
      void qc.invalidateQueries({ queryKey: ['tickets', 'one', ticketId] });
      void qc.invalidateQueries({ queryKey: ['tickets', 'timeline', ticketId] });
    }
    wasBusy.current = busy;
  }, [busy, qc, ticketId]);
  if (items.length === 0) return null;
  return (
    <Panel title="File restore">
      {items.map((r) => (
        <div key={r.id} className="stack">
          <RestoreFacts r={r} />
          <CancelRestore r={r} ticketId={ticketId} />
        </div>
      ))}
    </Panel>
  );
}
