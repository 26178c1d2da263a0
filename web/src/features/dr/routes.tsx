import type { RouteObject } from 'react-router-dom';

/** Disaster recovery (IT): plans per business service. Loaded on first use, with their styles. */
export const drRoutes: RouteObject[] = [
  { path: 'dr/plans', lazy: async () => ({ Component: (await import('./PlansPage')).PlansPage }) },
  { path: 'dr/plans/new', lazy: async () => ({ Component: (await import('./PlanEditPage')).NewPlanPage }) },
  { path: 'dr/plans/:id', lazy: async () => ({ Component: (await import('./PlanPage')).PlanPage }) },
  {
    path: 'dr/plans/:id/edit',
    lazy: async () => ({ Component: (await import('./PlanEditPage')).EditPlanPage }),
  },
];
