import type { RouteObject } from 'react-router-dom';

/** Disaster recovery (IT), loaded on first use with its styles: plans per business service. */
export const drRoutes: RouteObject[] = [
  { path: 'dr/plans', lazy: async () => ({ Component: (await import('./PlansPage')).PlansPage }) },
  { path: 'dr/plans/new', lazy: async () => ({ Component: (await import('./PlanEditPage')).NewPlanPage }) },
  { path: 'dr/plans/:id', lazy: async () => ({ Component: (await import('./PlanPage')).PlanPage }) },
  {
    path: 'dr/plans/:id/edit',
    lazy: async () => ({ Component: (await import('./PlanEditPage')).EditPlanPage }),
  },
];

/** Steward's own backup (admins). */
export const serverBackupRoutes: RouteObject[] = [
  {
    path: 'steward-backup',
    lazy: async () => ({ Component: (await import('./ServerBackupPage')).ServerBackupPage }),
  },
];
