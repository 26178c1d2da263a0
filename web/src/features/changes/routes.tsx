import type { RouteObject } from 'react-router-dom';

/** Change management (IT), loaded on first use: the list, a change, a new change, the calendar, the rates. */
export const changeRoutes: RouteObject[] = [
  { path: 'changes', lazy: async () => ({ Component: (await import('./ChangesPage')).ChangesPage }) },
  { path: 'changes/new', lazy: async () => ({ Component: (await import('./NewChangePage')).NewChangePage }) },
  {
    path: 'changes/calendar',
    lazy: async () => ({ Component: (await import('./CalendarPage')).CalendarPage }),
  },
  { path: 'changes/stats', lazy: async () => ({ Component: (await import('./StatsPage')).StatsPage }) },
  {
    path: 'changes/delegations',
    lazy: async () => ({ Component: (await import('./DelegationsPage')).DelegationsPage }),
  },
  {
    path: 'changes/approve',
    lazy: async () => ({ Component: (await import('./ApproveLinkPage')).ApproveLinkPage }),
  },
  { path: 'changes/:id', lazy: async () => ({ Component: (await import('./ChangePage')).ChangePage }) },
];

/** What managers keep for change management: templates, approval routes, maintenance windows and blackouts. */
export const changeAdminRoutes: RouteObject[] = [
  {
    path: 'changes/templates',
    lazy: async () => ({ Component: (await import('./TemplatesPage')).TemplatesPage }),
  },
  {
    path: 'changes/templates/new',
    lazy: async () => ({ Component: (await import('./TemplatePage')).NewTemplatePage }),
  },
  {
    path: 'changes/templates/:id',
    lazy: async () => ({ Component: (await import('./TemplatePage')).TemplatePage }),
  },
  { path: 'changes/routes', lazy: async () => ({ Component: (await import('./RoutesPage')).RoutesPage }) },
  { path: 'changes/windows', lazy: async () => ({ Component: (await import('./WindowsPage')).WindowsPage }) },
  {
    path: 'changes/windows/new',
    lazy: async () => ({ Component: (await import('./WindowPage')).NewWindowPage }),
  },
  {
    path: 'changes/windows/:id',
    lazy: async () => ({ Component: (await import('./WindowPage')).WindowPage }),
  },
];
