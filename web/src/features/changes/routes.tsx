import type { RouteObject } from 'react-router-dom';

/** Change management (IT), loaded on first use: the list, a change, a new change, the calendar. */
export const changeRoutes: RouteObject[] = [
  { path: 'changes', lazy: async () => ({ Component: (await import('./ChangesPage')).ChangesPage }) },
  { path: 'changes/new', lazy: async () => ({ Component: (await import('./NewChangePage')).NewChangePage }) },
  {
    path: 'changes/calendar',
    lazy: async () => ({ Component: (await import('./CalendarPage')).CalendarPage }),
  },
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
