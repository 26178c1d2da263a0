import { useState } from 'react';
import { Badge, Button, ErrorAlert, Loading, Panel, TextField, formatDate, formatDateTime } from '../../ui';
import { useRestore, useVaultEntry } from './api';
import { ago } from './clipboard';
import { RevealBox } from './RevealBox';
import { NewVersionForm, RotationForm, SharesEditor } from './VaultForms';
import './vault.css';

/** Making an earlier version the newest again, with a reason. */
function RestoreButton({ ciId, version }: { ciId: string; version: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const restore = useRestore(ciId);
  if (!open)
    return (
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)}>
        Restore version {version}
      </Button>
    );
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        restore.mutate({ version, reason }, { onSuccess: () => setOpen(false) });
      }}
    >
      <ErrorAlert error={restore.error} title="The version was not restored" />
      <TextField
        label="Reason for restoring"
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <Button type="submit" size="sm" busy={restore.isPending}>
        Restore
      </Button>
    </form>
  );
}

/** The Vault of a credential item: its secret (revealed with a reason), versions, reveals, rotation and shares. */
export function VaultPanel({ ciId }: { ciId: string }) {
  const q = useVaultEntry(ciId);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title="The vault could not be loaded" />;
  const e = q.data;
  return (
    <Panel title="Vault">
      <div className="stack">
        <dl className="facts">
          <dt>Login name</dt>
          <dd>{e.username ?? '—'}</dd>
          <dt>Secret</dt>
          <dd>{e.hasSecret ? `version ${e.currentVersion}` : 'none yet'}</dd>
          <dt>Rotation due</dt>
          <dd>
            {formatDate(e.rotationDue)} {e.rotationOverdue && <Badge tone="danger">rotation due</Badge>}
          </dd>
        </dl>
        {e.hasSecret &&
          (e.canReveal ? (
            <RevealBox ciId={ciId} />
          ) : (
            <p className="muted">This credential is not shared with you.</p>
          ))}
        {e.canManage && (
          <details>
            <summary>{e.hasSecret ? 'Rotate' : 'Set the secret'}</summary>
            <NewVersionForm entry={e} />
          </details>
        )}
        <section aria-label="Reveals">
          <h3>Reveals</h3>
          {e.reveals.length === 0 ? (
            <p className="muted">Nobody has revealed it yet.</p>
          ) : (
            <ul className="vault-list">
              {e.reveals.map((r) => (
                <li key={`${r.at}-${r.by}`}>
                  revealed by {r.by}, <time title={formatDateTime(r.at)}>{ago(r.at)}</time>: “{r.reason}”
                  {r.version !== e.currentVersion && ` (version ${r.version})`}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Versions">
          <h3>Versions</h3>
          <ul className="vault-list">
            {e.versions.map((v) => (
              <li key={v.version}>
                Version {v.version}, {formatDateTime(v.at)} by {v.by}
                {v.reason && `: ${v.reason}`}
                {e.canManage && v.version !== e.currentVersion && (
                  <RestoreButton ciId={ciId} version={v.version} />
                )}
              </li>
            ))}
          </ul>
        </section>
        {e.canManage && (
          <>
            <section aria-label="Rotation settings">
              <h3>Rotation</h3>
              <RotationForm entry={e} />
            </section>
            <section aria-label="Shared with">
              <h3>Shared with</h3>
              <SharesEditor entry={e} />
            </section>
          </>
        )}
        {!e.canManage && e.shares.length > 0 && (
          <p className="muted">Shared with {e.shares.map((s) => s.name).join(', ')}.</p>
        )}
      </div>
    </Panel>
  );
}
