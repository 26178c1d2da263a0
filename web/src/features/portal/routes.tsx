import type { RouteObject } from 'react-router-dom';

/** The self-service portal: open and follow one's own tickets (every role). Loaded on first use. */
export const portalRoutes: RouteObject[] = [
  { path: 'portal', lazy: async () => ({ Component: (await import('./PortalPage')).PortalPage }) },
  {
    path: 'portal/new',
    lazy: async () => ({ Component: (await import('./NewRequestPage')).NewRequestPage }),
  },
  {
    path: 'portal/restore',
    lazy: async () => ({ Component: (await import('./GetFilesBackPage')).GetFilesBackPage }),
  },
  {
    path: 'portal/tickets/:id',
    lazy: async () => ({ Component: (await import('./PortalTicketPage')).PortalTicketPage }),
  },
];
