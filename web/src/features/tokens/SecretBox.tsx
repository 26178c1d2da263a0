import { useRef, useState, type ReactNode } from 'react';
import { Alert, Button } from '../../ui';
import { CopyIcon } from '../../ui/icons';
import { useT } from '../../i18n';

/**
 * Shows a new secret once, with a copy button (falling back to selecting the text), and what to do with it
 * (`children`, under the secret).
 */
export function SecretBox({
  title,
  secret,
  label,
  onDone,
  children,
}: {
  title: string;
  secret: string;
  /** Accessible name of the secret's text. */
  label?: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const codeRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // clipboard access can be refused (insecure origin, permissions): select the text instead
      const el = codeRef.current;
      if (el !== null) window.getSelection()?.selectAllChildren(el);
      setCopied('failed');
    }
  };

  return (
    <Alert tone="success" title={title}>
      <p>{t('secret.copyNow')}</p>
      <div className="secret" style={{ marginTop: 10 }}>
        <code ref={codeRef} aria-label={label ?? t('secret.newToken')} data-testid="new-token">
          {secret}
        </code>
        <Button size="sm" variant="primary" onClick={() => void copy()}>
          <CopyIcon size={15} />
          {copied === 'yes' ? t('secret.copied') : t('secret.copy')}
        </Button>
      </div>
      <p role="status" className="field-hint" style={{ marginTop: 6 }}>
        {copied === 'yes' ? t('secret.copiedStatus') : copied === 'failed' ? t('secret.copyFailed') : ''}
      </p>
      {children}
      <p style={{ marginTop: 8 }}>
        <Button size="sm" onClick={onDone}>
          {t('secret.stored')}
        </Button>
      </p>
    </Alert>
  );
}
