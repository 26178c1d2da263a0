import { useState } from 'react';
import type { Change, ChangeRestorePoint } from '@contracts';
import { Alert, Button, ConfirmButton, ErrorAlert, Panel, SelectField, TextField } from '../../ui';
import { type Translate, useT } from '../../i18n';
import { formatDateTime } from '../../ui';
import { useChangeAction } from './api';

/** One restore point in words. */
function pointText(t: Translate, p: ChangeRestorePoint): string {
  if (p.state === 'taken')
    return t('changes.pointTaken', {
      snapshot: p.snapshotId?.slice(0, 8) ?? '',
      when: p.takenAt ? formatDateTime(p.takenAt) : '',
    });
  if (p.state === 'failed') return t('changes.pointFailed', { error: p.error ?? t('changes.noReason') });
  return t('changes.pointAsked', { when: formatDateTime(p.requestedAt) });
}

/** True while the change may put its items back (being implemented, in review, or closed as backed out). */
const backingOut = (c: Change) =>
  c.status === 'implementing' ||
  c.status === 'review' ||
  (c.status === 'closed' && c.outcome === 'backed_out');

/** Puts one item back as its restore point had it: where, overwriting or not, and a second click. */
function RestoreForm({ c, p }: { c: Change; p: ChangeRestorePoint }) {
  const t = useT();
  const act = useChangeAction(c.id);
  const [folder, setFolder] = useState('/');
  const [overwrite, setOverwrite] = useState('always');
  return (
    <div className="stack-sm">
      {act.isError && <ErrorAlert error={act.error} />}
      <div className="row">
        <TextField
          label={t('changes.restoreInto', { name: p.ciName })}
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <SelectField
          label={t('changes.filesThere')}
          value={overwrite}
          onChange={(e) => setOverwrite(e.target.value)}
        >
          <option value="always">{t('changes.replaceThem')}</option>
          <option value="if-newer">{t('changes.replaceOlder')}</option>
          <option value="never">{t('changes.keepThem')}</option>
        </SelectField>
      </div>
      <ConfirmButton
        busy={act.isPending}
        confirmLabel={t('changes.confirmPutBack', { name: p.ciName })}
        onConfirm={() =>
          act.mutate({
            path: `restore-points/${p.ciId}/restore`,
            body: { destinationFolder: folder, overwrite },
          })
        }
      >
        {t('changes.restoreSnapshot')}
      </ConfirmButton>
    </div>
  );
}

/**
 * The restore points Steward asked the items' agents for before implementing, the decision to go without
 * one (an agent out of reach), and, when the change is backed out, the restore of each.
 */
export function RestorePointsPanel({ c }: { c: Change }) {
  const t = useT();
  const act = useChangeAction(c.id);
  const [reason, setReason] = useState('');
  const waiting = c.status === 'scheduled' && c.restorePoints.some((p) => p.state !== 'taken');
  if (c.restorePoints.length === 0 && !c.restorePointWaiver) return null;
  return (
    <Panel title={t('changes.restorePoints')}>
      <ul aria-label={t('changes.restorePoints')} className="stack-sm">
        {c.restorePoints.map((p) => (
          <li key={p.ciId}>
            <strong>{p.ciName}</strong>: {pointText(t, p)}
            {p.restoreState && (
              <div className="muted">{t('changes.restoreState', { state: p.restoreState })}</div>
            )}
            {backingOut(c) &&
              p.state === 'taken' &&
              !['queued', 'running', 'succeeded'].includes(p.restoreState ?? '') && (
                <RestoreForm c={c} p={p} />
              )}
          </li>
        ))}
      </ul>
      {c.restorePointWaiver && (
        <Alert tone="warning" title={t('changes.withoutPoint')}>
          {c.restorePointWaiver.reason} ({c.restorePointWaiver.by})
        </Alert>
      )}
      {waiting && (
        <div className="stack-sm">
          <p className="muted">{t('changes.waitingHint')}</p>
          {act.isError && <ErrorAlert error={act.error} />}
          <TextField
            label={t('changes.whyWithout')}
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
            {t('changes.implementWithout')}
          </Button>
        </div>
      )}
    </Panel>
  );
}
