import { useState } from 'react';
import type { Change, ChangeRestorePoint } from '@contracts';
import { Alert, Button, ConfirmButton, ErrorAlert, Panel, SelectField, TextField } from '../../ui';
import { useChangeAction } from './api';

const when = (s: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(s));

/** One restore point in words. */
function pointText(p: ChangeRestorePoint): string {
  if (p.state === 'taken')
    return `snapshot ${p.snapshotId?.slice(0, 8) ?? ''} taken ${p.takenAt ? when(p.takenAt) : ''}`;
  if (p.state === 'failed') return `the snapshot failed: ${p.error ?? 'no reason given'}`;
  return `asked for ${when(p.requestedAt)}, waiting for the agent`;
}

/** True while the change may put its items back (being implemented, in review, or closed as backed out). */
const backingOut = (c: Change) =>
  c.status === 'implementing' ||
  c.status === 'review' ||
  (c.status === 'closed' && c.outcome === 'backed_out');

/** Puts one item back as its restore point had it: where, overwriting or not, and a second click. */
function RestoreForm({ c, p }: { c: Change; p: ChangeRestorePoint }) {
  const act = useChangeAction(c.id);
  const [folder, setFolder] = useState('/');
  const [overwrite, setOverwrite] = useState('always');
  return (
    <div className="stack-sm">
      {act.isError && <ErrorAlert error={act.error} />}
      <div className="row">
        <TextField
          label={`Restore ${p.ciName} into`}
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <SelectField
          label="Files already there"
          value={overwrite}
          onChange={(e) => setOverwrite(e.target.value)}
        >
          <option value="always">Replace them</option>
          <option value="if-newer">Replace older ones</option>
          <option value="never">Keep them</option>
        </SelectField>
      </div>
      <ConfirmButton
        busy={act.isPending}
        confirmLabel={`Confirm: put ${p.ciName} back`}
        onConfirm={() =>
          act.mutate({
            path: `restore-points/${p.ciId}/restore`,
            body: { destinationFolder: folder, overwrite },
          })
        }
      >
        Restore that snapshot
      </ConfirmButton>
    </div>
  );
}

/**
 * The restore points Steward asked the items' agents for before implementing, the decision to go without
 * one (an agent out of reach), and, when the change is backed out, the restore of each.
 */
export function RestorePointsPanel({ c }: { c: Change }) {
  const act = useChangeAction(c.id);
  const [reason, setReason] = useState('');
  const waiting = c.status === 'scheduled' && c.restorePoints.some((p) => p.state !== 'taken');
  if (c.restorePoints.length === 0 && !c.restorePointWaiver) return null;
  return (
    <Panel title="Restore points">
      <ul aria-label="Restore points" className="stack-sm">
        {c.restorePoints.map((p) => (
          <li key={p.ciId}>
            <strong>{p.ciName}</strong>: {pointText(p)}
            {p.restoreState && <div className="muted">Restore {p.restoreState}</div>}
            {backingOut(c) &&
              p.state === 'taken' &&
              !['queued', 'running', 'succeeded'].includes(p.restoreState ?? '') && (
                <RestoreForm c={c} p={p} />
              )}
          </li>
        ))}
      </ul>
      {c.restorePointWaiver && (
        <Alert tone="warning" title="Implemented without a restore point">
          {c.restorePointWaiver.reason} ({c.restorePointWaiver.by})
        </Alert>
      )}
      {waiting && (
        <div className="stack-sm">
          <p className="muted">
            The change moves to implementing once every snapshot is taken. If an agent cannot be reached, a
            manager may go ahead without a restore point, with a reason.
          </p>
          {act.isError && <ErrorAlert error={act.error} />}
          <TextField
            label="Why go without a restore point"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button
            busy={act.isPending}
            disabled={reason.trim() === ''}
            onClick={() =>
              act.mutate({
                path: 'transitions',
                body: { to: 'implementing', withoutRestorePoint: { reason } },
              })
            }
          >
            Implement without restore point
          </Button>
        </div>
      )}
    </Panel>
  );
}
