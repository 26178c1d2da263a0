import type { RouteObject } from 'react-router-dom';

/** Dashboards and the lists behind their figures, for IT. Loaded on first use. */
export const kpiRoutes: RouteObject[] = [
  { path: 'dashboards', lazy: async () => ({ Component: (await import('./DashboardPage')).DashboardsHome }) },
  {
    path: 'dashboards/:id',
    lazy: async () => ({ Component: (await import('./DashboardPage')).DashboardPage }),
  },
  { path: 'kpis/:key', lazy: async () => ({ Component: (await import('./KpiListPage')).KpiListPage }) },
];
