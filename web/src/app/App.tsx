import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage';
import { SetPasswordPage } from '../features/auth/SetPasswordPage';
import { SignInPage } from '../features/auth/SignInPage';
import { auditRoutes } from '../features/audit/routes';
import { browseRoutes } from '../features/backup/browse/routes';
import { backupRoutes } from '../features/backup/routes';
import { cmdbAdminRoutes, cmdbRoutes } from '../features/cmdb/routes';
import { drillRoutes } from '../features/dr/drills/routes';
import { drRoutes, serverBackupRoutes } from '../features/dr/routes';
import { changeAdminRoutes, changeRoutes } from '../features/changes/routes';
import { portalRoutes } from '../features/portal/routes';
import { settingsRoutes } from '../features/settings/routes';
import { teamsRoutes } from '../features/teams/routes';
import { ticketsRoutes } from '../features/tickets/routes';
import { tokensRoutes } from '../features/tokens/routes';
import { notificationsRoutes } from '../features/notifications/routes';
import { searchRoutes } from '../features/search/routes';
import { accountRoutes, usersRoutes } from '../features/users/routes';
import { vaultRoutes } from '../features/vault/routes';
import { reviewsRoutes } from '../features/reviews/routes';
import { complianceRoutes } from '../features/compliance/routes';
import { exposureRoutes } from '../features/exposure/routes';
import { knowledgeRoutes } from '../features/knowledge/routes';
import { kpiRoutes } from '../features/kpis/routes';
import { catalogueRoutes } from '../features/catalogue/routes';
import { AppLayout } from './AppLayout';
import { RequireRole, RequireSession } from './guards';
import { HomePage, NotFoundPage } from './HomePage';
import { createQueryClient } from './queryClient';
import { Loading } from '../ui';
import { I18nProvider } from '../i18n/I18nProvider';
import { useT } from '../i18n/useT';

/** Shown while the first page's code arrives. */
function AppLoading() {
  const t = useT();
  return <Loading label={t('common.loadingApp')} />;
}

/** The route tree: sign-in outside, everything else behind the session gate; admin areas behind a role gate. */
function createRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    { path: '/forgot-password', element: <ForgotPasswordPage /> },
    { path: '/set-password', element: <SetPasswordPage /> },
    {
      element: <RequireSession />,
      // shown when the first page opened is one loaded on demand, until its code arrives
      hydrateFallbackElement: <AppLoading />,
      children: [
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <HomePage /> },
            ...tokensRoutes,
            ...accountRoutes,
            ...notificationsRoutes,
            ...searchRoutes,
            ...portalRoutes,
            // every role: the API shows each person the articles written for them
            ...knowledgeRoutes,
            // every role: the API shows each person the items they may request and the requests they are in
            ...catalogueRoutes,
            // every role: the API shows IT every device, others their own
            ...browseRoutes,
            {
              element: <RequireRole roles={['agent', 'manager', 'admin']} />,
              children: ticketsRoutes,
            },
            {
              // a requester is not told the inventory exists: "not found", as the API answers
              element: <RequireRole roles={['agent', 'manager', 'admin']} hidden />,
              children: [
                ...cmdbRoutes,
                ...vaultRoutes,
                ...reviewsRoutes,
                ...complianceRoutes,
                ...exposureRoutes,
                ...drRoutes,
                ...drillRoutes,
                ...changeRoutes,
                ...kpiRoutes,
              ],
            },
            {
              element: <RequireRole roles={['manager', 'admin']} />,
              children: changeAdminRoutes,
            },
            {
              element: <RequireRole roles={['admin']} />,
              children: [...usersRoutes, ...teamsRoutes, ...settingsRoutes, ...auditRoutes],
            },
            {
              element: <RequireRole roles={['admin']} hidden />,
              children: [...cmdbAdminRoutes, ...backupRoutes, ...serverBackupRoutes],
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}

/** The whole web app. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <RouterProvider router={router} />
      </I18nProvider>
    </QueryClientProvider>
  );
}
