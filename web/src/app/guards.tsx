import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '@contracts';
import { useCurrentUser, useSession } from '../features/auth/session';
import { ErrorAlert, Loading, PageHeader } from '../ui';
import { NotFoundPage } from './HomePage';
import { useT } from '../i18n/useT';

/** Renders the nested routes for a signed-in user; sends anyone else to the sign-in page and back afterwards. */
export function RequireSession({ children }: { children?: ReactNode }) {
  const t = useT();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label={t('common.loadingApp')} />;
  if (session.isError) {
    return (
      <main className="auth-page">
        <ErrorAlert error={session.error} title={t('common.unreachable')} />
      </main>
    );
  }
  if (session.data === null) {
    // The fragment too: an e-mailed approval link carries its one-time secret there, past the sign-in.
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/sign-in" replace state={from === '/' ? undefined : { from }} />;
  }
  return children ?? <Outlet />;
}

/**
 * Renders the nested routes only for the given roles; others see a plain "not available" page, or with
 * `hidden` the "page not found" page (for areas whose very existence the API hides from them).
 */
export function RequireRole({ roles, hidden = false }: { roles: readonly Role[]; hidden?: boolean }) {
  const t = useT();
  const user = useCurrentUser();
  if (!roles.includes(user.role)) {
    if (hidden) return <NotFoundPage />;
    return <PageHeader title={t('common.notAvailable')} description={t('common.notAvailableBody')} />;
  }
  return <Outlet />;
}
