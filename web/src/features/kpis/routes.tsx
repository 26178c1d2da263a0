import type { RouteObject } from 'react-router-dom';

/** Dashboards, the lists behind their figures and scheduled reports, for IT. Loaded on first use. */
export const kpiRoutes: RouteObject[] = [
  { path: 'dashboards', lazy: async () => ({ Component: (await import('./DashboardPage')).DashboardsHome }) },
  {
    path: 'dashboards/:id',
    lazy: async () => ({ Component: (await import('./DashboardPage')).DashboardPage }),
  },
  { path: 'reports', lazy: async () => ({ Component: (await import('./ReportsPage')).ReportsPage }) },
  { path: 'kpis/:key', lazy: async () => ({ Component: (await import('./KpiListPage')).KpiListPage }) },
];
