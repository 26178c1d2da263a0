import { useRef, useState } from 'react';
import type { CreatedToken } from '@contracts';
import { Alert, Button } from '../../ui';
import { CopyIcon } from '../../ui/icons';

/** Shows a new token's secret once, with a copy button; falls back to selecting the text. */
export function SecretBox({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const codeRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      // clipboard access can be refused (insecure origin, permissions): select the text instead
      const el = codeRef.current;
      if (el !== null) window.getSelection()?.selectAllChildren(el);
      setCopied('failed');
    }
  };

  return (
    <Alert tone="success" title={`Token “${token.name}” created`}>
      <p>Copy the token now. It is shown only once; Steward keeps only a hash of it.</p>
      <div className="secret" style={{ marginTop: 10 }}>
        <code ref={codeRef} aria-label="New token" data-testid="new-token">
          {token.token}
        </code>
        <Button size="sm" variant="primary" onClick={() => void copy()}>
          <CopyIcon size={15} />
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p role="status" className="field-hint" style={{ marginTop: 6 }}>
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed: the token is selected, press Ctrl+C.'
            : ''}
      </p>
      <p style={{ marginTop: 8 }}>
        <Button size="sm" onClick={onDone}>
          I have stored it
        </Button>
      </p>
    </Alert>
  );
}
