import { useState } from 'react';
import { Badge, Button, ErrorAlert, Loading, Panel, TextField, formatDate, formatDateTime } from '../../ui';
import { Msg, useT } from '../../i18n';
import { useRestore, useVaultEntry } from './api';
import { ago } from './clipboard';
import { RevealBox } from './RevealBox';
import { NewVersionForm, RotationForm, SharesEditor } from './VaultForms';
import './vault.css';

/** Making an earlier version the newest again, with a reason. */
function RestoreButton({ ciId, version }: { ciId: string; version: number }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const restore = useRestore(ciId);
  if (!open)
    return (
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)}>
        {t('vault.restoreVersion', { version })}
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
      <ErrorAlert error={restore.error} title={t('vault.restoreFailed')} />
      <TextField
        label={t('vault.restoreReason')}
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <Button type="submit" size="sm" busy={restore.isPending}>
        {t('vault.restore')}
      </Button>
    </form>
  );
}

/** The Vault of a credential item: its secret (revealed with a reason), versions, reveals, rotation and shares. */
export function VaultPanel({ ciId }: { ciId: string }) {
  const t = useT();
  const q = useVaultEntry(ciId);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('vault.loadFailed')} />;
  const e = q.data;
  return (
    <Panel title={t('vault.title')}>
      <div className="stack">
        <dl className="facts">
          <dt>{t('vault.loginName')}</dt>
          <dd>{e.username ?? '—'}</dd>
          <dt>{t('vault.secret')}</dt>
          <dd>
            {e.hasSecret
              ? t('vault.secretVersion', { version: e.currentVersion ?? 0 })
              : t('vault.noSecretYet')}
          </dd>
          <dt>{t('vault.rotationDue')}</dt>
          <dd>
            {formatDate(e.rotationDue)}{' '}
            {e.rotationOverdue && <Badge tone="danger">{t('vault.rotationDueBadge')}</Badge>}
          </dd>
        </dl>
        {e.hasSecret &&
          (e.canReveal ? <RevealBox ciId={ciId} /> : <p className="muted">{t('vault.notShared')}</p>)}
        {e.canManage && (
          <details>
            <summary>{e.hasSecret ? t('vault.rotate') : t('vault.setSecret')}</summary>
            <NewVersionForm entry={e} />
          </details>
        )}
        <section aria-label={t('vault.reveals')}>
          <h3>{t('vault.reveals')}</h3>
          {e.reveals.length === 0 ? (
            <p className="muted">{t('vault.noReveals')}</p>
          ) : (
            <ul className="vault-list">
              {e.reveals.map((r) => (
                <li key={`${r.at}-${r.by}`}>
                  <Msg
                    id={r.version !== e.currentVersion ? 'vault.revealedByVersion' : 'vault.revealedBy'}
                    values={{
                      who: r.by,
                      when: <time title={formatDateTime(r.at)}>{ago(r.at)}</time>,
                      reason: r.reason,
                      version: r.version,
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label={t('vault.versions')}>
          <h3>{t('vault.versions')}</h3>
          <ul className="vault-list">
            {e.versions.map((v) => (
              <li key={v.version}>
                {v.reason
                  ? t('vault.versionLineReason', {
                      version: v.version,
                      at: formatDateTime(v.at),
                      who: v.by,
                      reason: v.reason,
                    })
                  : t('vault.versionLine', { version: v.version, at: formatDateTime(v.at), who: v.by })}
                {e.canManage && v.version !== e.currentVersion && (
                  <RestoreButton ciId={ciId} version={v.version} />
                )}
              </li>
            ))}
          </ul>
        </section>
        {e.canManage && (
          <>
            <section aria-label={t('vault.rotationSettings')}>
              <h3>{t('vault.rotation')}</h3>
              <RotationForm entry={e} />
            </section>
            <section aria-label={t('vault.sharedWith')}>
              <h3>{t('vault.sharedWith')}</h3>
              <SharesEditor entry={e} />
            </section>
          </>
        )}
        {!e.canManage && e.shares.length > 0 && (
          <p className="muted">
            {t('vault.sharedWithList', { names: e.shares.map((s) => s.name).join(', ') })}
          </p>
        )}
      </div>
    </Panel>
  );
}
