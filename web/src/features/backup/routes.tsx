import type { RouteObject } from 'react-router-dom';

/**
 * Company backups (admins): the dashboard, policies and storage targets. Loaded on first use, with their
 * styles. A computer's own backups sit on its inventory page (DevicePanel.tsx).
 */
export const backupRoutes: RouteObject[] = [
  { path: 'backups', lazy: async () => ({ Component: (await import('./DashboardPage')).DashboardPage }) },
  {
    path: 'backups/policies',
    lazy: async () => ({ Component: (await import('./PoliciesPage')).PoliciesPage }),
  },
  {
    path: 'backups/policies/new',
    lazy: async () => ({ Component: (await import('./PolicyPage')).NewPolicyPage }),
  },
  {
    path: 'backups/policies/:id',
    lazy: async () => ({ Component: (await import('./PolicyPage')).PolicyPage }),
  },
  {
    path: 'backups/targets',
    lazy: async () => ({ Component: (await import('./TargetsPage')).TargetsPage }),
  },
];
