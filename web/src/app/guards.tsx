import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '@contracts';
import { useCurrentUser, useSession } from '../features/auth/session';
import { ErrorAlert, Loading, PageHeader } from '../ui';

/** Renders the nested routes for a signed-in user; sends anyone else to the sign-in page and back afterwards. */
export function RequireSession({ children }: { children?: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label="Loading Steward…" />;
  if (session.isError) {
    return (
      <main className="auth-page">
        <ErrorAlert error={session.error} title="Steward cannot be reached" />
      </main>
    );
  }
  if (session.data === null) {
    const from = location.pathname + location.search;
    return <Navigate to="/sign-in" replace state={from === '/' ? undefined : { from }} />;
  }
  return children ?? <Outlet />;
}

/** Renders the nested routes only for the given roles; others see a plain "not available" page. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const user = useCurrentUser();
  if (!roles.includes(user.role)) {
    return <PageHeader title="Not available" description="Your role does not give access to this page." />;
  }
  return <Outlet />;
}
