import { useState } from 'react';
import type { RevealedSecret } from '@contracts';
import { Alert, Button, ErrorAlert, TextField } from '../../ui';
import { useReveal } from './api';
import { CLIPBOARD_CLEAR_MS, copySecret } from './clipboard';

/** One revealed value, hidden until shown, with a copy button whose copy clears itself. */
function SecretLine({ label, value }: { label: string; value: string }) {
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
        <code className="mono" data-testid={`vault-${label.toLowerCase().replace(/\s+/g, '-')}`}>
          {shown ? value : '•'.repeat(Math.min(value.length, 16))}
        </code>
        <Button size="sm" variant="ghost" onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </Button>
        <Button size="sm" variant="ghost" onClick={copy}>
          {copied === 'yes' ? 'Copied' : `Copy ${label.toLowerCase()}`}
        </Button>
      </div>
      {copied === 'yes' && (
        <p className="muted">The clipboard is cleared in {CLIPBOARD_CLEAR_MS / 1000} seconds.</p>
      )}
      {copied === 'cleared' && <p className="muted">The clipboard was cleared.</p>}
      {copied === 'refused' && <Alert tone="warning">The browser did not allow copying.</Alert>}
    </div>
  );
}

/** Reveal with a reason (audited, shown on the item); the secret stays only in this box. */
export function RevealBox({ ciId, version }: { ciId: string; version?: number }) {
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState<RevealedSecret | null>(null);
  const reveal = useReveal(ciId);
  if (secret)
    return (
      <div className="stack-sm" aria-label="Revealed secret">
        <p className="muted">Version {secret.version}</p>
        {secret.username !== null && <SecretLine label="Login name" value={secret.username} />}
        {secret.password !== null && <SecretLine label="Password" value={secret.password} />}
        {secret.privateKey !== null && <SecretLine label="Key" value={secret.privateKey} />}
        {secret.notes !== null && <SecretLine label="Notes" value={secret.notes} />}
        <div>
          <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
            Hide secret
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
      <ErrorAlert error={reveal.error} title="The secret was not revealed" />
      <TextField
        label="Reason for revealing"
        hint="Shown on this item and kept in the audit log"
        value={reason}
        required
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <Button type="submit" busy={reveal.isPending}>
          Reveal
        </Button>
      </div>
    </form>
  );
}
