import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { useT } from '../i18n/useT';

/** Tone of an alert. */
export type AlertTone = 'info' | 'success' | 'warning' | 'error';

/** A message box; errors are announced immediately (role=alert), other tones politely (role=status). */
export function Alert({
  tone = 'info',
  title,
  children,
}: {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="alert-body">
        {title !== undefined && <div className="alert-title">{title}</div>}
        {children !== undefined && <div>{children}</div>}
      </div>
    </div>
  );
}

/** An alert for a failed request, or nothing when there is no error. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <Alert tone="error" title={title}>
      {errorMessage(error)}
    </Alert>
  );
}

/** A small pill. */
export function Badge({ tone, children }: { tone?: 'success' | 'danger' | 'primary'; children: ReactNode }) {
  return <span className={tone === undefined ? 'badge' : `badge badge-${tone}`}>{children}</span>;
}

/** A loading indicator for a page or a panel. */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

/** A placeholder for an empty list. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
