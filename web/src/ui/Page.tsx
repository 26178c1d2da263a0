import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { Alert } from './Feedback';

/** Sets the document title while a page is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Steward`;
  }, [title]);
}

/** The heading block of a page: title, optional description, back link and actions; sets the document title. */
export function PageHeader({
  title,
  description,
  back,
  actions,
}: {
  title: string;
  description?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
}) {
  useTitle(title);
  return (
    <div className="page-header">
      <div>
        {back !== undefined && (
          <Link className="back-link" to={back.to}>
            ← {back.label}
          </Link>
        )}
        <h1>{title}</h1>
        {description !== undefined && <p>{description}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </div>
  );
}

/** A bordered surface with an optional header. */
export function Panel({
  title,
  actions,
  children,
  padded = true,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  padded?: boolean;
}) {
  return (
    <section className="panel" aria-label={typeof title === 'string' ? title : undefined}>
      {title !== undefined && (
        <div className="panel-header">
          <h2>{title}</h2>
          {actions}
        </div>
      )}
      {padded ? <div className="panel-body">{children}</div> : children}
    </section>
  );
}

/** A one-off success message passed by the previous page as router state `{ notice }`. */
export function Notice() {
  const state: unknown = useLocation().state;
  if (
    typeof state !== 'object' ||
    state === null ||
    !('notice' in state) ||
    typeof state.notice !== 'string'
  ) {
    return null;
  }
  return (
    <div className="notice">
      <Alert tone="success">{state.notice}</Alert>
    </div>
  );
}
