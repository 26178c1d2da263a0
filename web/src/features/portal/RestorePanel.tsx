import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { BackupRestore } from '@contracts';
import { Alert, Badge, ConfirmButton, ErrorAlert, Panel, formatDateTime } from '../../ui';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { useCancelRestore, useTicketRestores } from './api';

const STATE: Record<BackupRestore['state'], MessageKey> = {
  queued: 'restore.queued',
  running: 'restore.running',
  succeeded: 'restore.succeeded',
  failed: 'restore.failed',
  cancelled: 'restore.cancelled',
};

const size = (t: Translate, n: number) =>
  n >= 1024 * 1024
    ? t('files.mib', { n: Math.round((n / 1024 / 1024) * 10) / 10 })
    : t('files.kib', { n: Math.ceil(n / 1024) });

function RestoreFacts({ r }: { r: BackupRestore }) {
  const t = useT();
  const p = r.progress;
  const pct = p.bytesTotal > 0 ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0;
  return (
    <dl className="facts" aria-label={t('restore.from', { name: r.sourceName })}>
      <dt>{t('common.status')}</dt>
      <dd>
        <Badge tone={r.state === 'succeeded' ? 'success' : r.state === 'failed' ? 'danger' : 'primary'}>
          {t(STATE[r.state])}
        </Badge>
      </dd>
      <dt>{t('restore.files')}</dt>
      <dd>{r.paths.join(', ')}</dd>
      <dt>{t('restore.fromLabel')}</dt>
      <dd>{t('restore.source', { name: r.sourceName, snapshot: r.snapshotId.slice(0, 8) })}</dd>
      <dt>{t('restore.onto')}</dt>
      <dd>{t('restore.destination', { name: r.destinationName, folder: r.destinationFolder })}</dd>
      {(r.state === 'running' || r.finishedAt) && (
        <>
          <dt>{t('restore.progress')}</dt>
          <dd>
            {r.state === 'running' && (
              <progress max={100} value={pct} aria-label={t('restore.progressLabel')} />
            )}{' '}
            {t('restore.counts', {
              done: p.filesDone,
              total: p.filesTotal,
              bytesDone: size(t, p.bytesDone),
              bytesTotal: size(t, p.bytesTotal),
            })}
          </dd>
        </>
      )}
      {r.verified !== null && (
        <>
          <dt>{t('restore.checked')}</dt>
          <dd>{r.verified ? t('restore.verified') : t('restore.notVerified')}</dd>
        </>
      )}
      {r.skipped.length > 0 && (
        <>
          <dt>{t('restore.kept')}</dt>
          <dd>{r.skipped.join(', ')}</dd>
        </>
      )}
      {r.error && (
        <>
          <dt>{t('restore.problem')}</dt>
          <dd>{r.error}</dd>
        </>
      )}
      <dt>{t('restore.finished')}</dt>
      <dd>{formatDateTime(r.finishedAt)}</dd>
    </dl>
  );
}

/**
 * Cancels a queued or running restore (two clicks). A running one stops at its computer's next progress report
 * and leaves the destination as it was; the outcome is shown once the server answers.
 */
function CancelRestore({ r, ticketId }: { r: BackupRestore; ticketId: string }) {
  const t = useT();
  const cancel = useCancelRestore(ticketId);
  const was = cancel.variables;
  if (cancel.isSuccess && was?.id === r.id)
    return (
      <Alert tone="success" title={t('restore.cancelledTitle')}>
        {was.state === 'running'
          ? t('restore.stops', { name: r.destinationName, folder: r.destinationFolder })
          : t('restore.wontRestore', { name: r.destinationName })}
      </Alert>
    );
  // A refusal stays in view after the restore has ended meanwhile (it says why: "the restore has succeeded").
  const open = r.state === 'queued' || r.state === 'running';
  if (!open && !cancel.error) return null;
  return (
    <div className="withdraw">
      <ErrorAlert error={cancel.error} title={t('restore.notCancelled')} />
      {open && (
        <ConfirmButton
          confirmLabel={t('restore.confirmCancel')}
          busy={cancel.isPending}
          onConfirm={() => cancel.mutate(r)}
        >
          {t('restore.cancel')}
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
  const t = useT();
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
    <Panel title={t('restore.title')}>
      {items.map((r) => (
        <div key={r.id} className="stack">
          <RestoreFacts r={r} />
          <CancelRestore r={r} ticketId={ticketId} />
        </div>
      ))}
    </Panel>
  );
}
