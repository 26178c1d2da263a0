import { useState } from 'react';
import type { RevealedSecret } from '@contracts';
import { useT } from '../../i18n';
import { Alert, Button, ErrorAlert, TextField } from '../../ui';
import { useReveal } from './api';
import { CLIPBOARD_CLEAR_MS, copySecret } from './clipboard';

/** One revealed value, hidden until shown, with a copy button whose copy clears itself. */
function SecretLine({
  label,
  copy: copyLabel,
  testId,
  value,
}: {
  label: string;
  copy: string;
  testId: string;
  value: string;
}) {
  const t = useT();
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState<'no' | 'yes' | 'cleared' | 'refused'>('no');
  const copy = () =>
    void copySecret(value, () => setCopied('cleared')).then(
      () => setCopied('yes'),
      () => setCopied('refused'),
    );
  return (
    <div className="stack-sm">
      <div className="button-row">
        <strong>{label}</strong>
        <code className="mono" data-testid={`vault-${testId}`}>
          {shown ? value : '•'.repeat(Math.min(value.length, 16))}
        </code>
        <Button size="sm" variant="ghost" onClick={() => setShown(!shown)}>
          {shown ? t('vault.hide') : t('vault.show')}
        </Button>
        <Button size="sm" variant="ghost" onClick={copy}>
          {copied === 'yes' ? t('vault.copied') : copyLabel}
        </Button>
      </div>
      {copied === 'yes' && (
        <p className="muted">{t('vault.clipboardClearsIn', { seconds: CLIPBOARD_CLEAR_MS / 1000 })}</p>
      )}
      {copied === 'cleared' && <p className="muted">{t('vault.clipboardCleared')}</p>}
      {copied === 'refused' && <Alert tone="warning">{t('vault.copyRefused')}</Alert>}
    </div>
  );
}

/** Reveal with a reason (audited, shown on the item); the secret stays only in this box. */
export function RevealBox({ ciId, version }: { ciId: string; version?: number }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState<RevealedSecret | null>(null);
  const reveal = useReveal(ciId);
  if (secret)
    return (
      <div className="stack-sm" aria-label={t('vault.revealedSecret')}>
        <p className="muted">{t('vault.version', { version: secret.version })}</p>
        {secret.username !== null && (
          <SecretLine
            label={t('vault.loginName')}
            copy={t('vault.copyLoginName')}
            testId="login-name"
            value={secret.username}
          />
        )}
        {secret.password !== null && (
          <SecretLine
            label={t('vault.password')}
            copy={t('vault.copyPassword')}
            testId="password"
            value={secret.password}
          />
        )}
        {secret.privateKey !== null && (
          <SecretLine
            label={t('vault.key')}
            copy={t('vault.copyKey')}
            testId="key"
            value={secret.privateKey}
          />
        )}
        {secret.notes !== null && (
          <SecretLine
            label={t('vault.notes')}
            copy={t('vault.copyNotes')}
            testId="notes"
            value={secret.notes}
          />
        )}
        <div>
          <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
            {t('vault.hideSecret')}
          </Button>
        </div>
      </div>
    );
  return (
    <form
      className="stack-sm"
      onSubmit={(e) => {
        e.preventDefault();
        reveal.mutate(
          { reason, ...(version ? { version } : {}) },
          {
            onSuccess: (s) => {
              setSecret(s);
              setReason('');
            },
          },
        );
      }}
    >
      <ErrorAlert error={reveal.error} title={t('vault.revealFailed')} />
      <TextField
        label={t('vault.revealReason')}
        hint={t('vault.revealReasonHint')}
        value={reason}
        required
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <Button type="submit" busy={reveal.isPending}>
          {t('vault.reveal')}
        </Button>
      </div>
    </form>
  );
}
