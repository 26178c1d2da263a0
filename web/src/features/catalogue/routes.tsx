import type { RouteObject } from 'react-router-dom';
import { RequireRole } from '../../app/guards';

/** The service catalogue, loaded on first use: browse and request (everyone), requests, and the item editor. */
export const catalogueRoutes: RouteObject[] = [
  { path: 'catalogue', lazy: async () => ({ Component: (await import('./CataloguePage')).CataloguePage }) },
  {
    path: 'catalogue/items/:id',
    lazy: async () => ({ Component: (await import('./RequestFormPage')).RequestFormPage }),
  },
  {
    path: 'catalogue/requests',
    lazy: async () => ({ Component: (await import('./RequestsPage')).RequestsPage }),
  },
  {
    path: 'catalogue/requests/:id',
    lazy: async () => ({ Component: (await import('./RequestPage')).RequestPage }),
  },
  {
    element: <RequireRole roles={['admin']} />,
    children: [
      {
        path: 'catalogue/admin',
        lazy: async () => ({ Component: (await import('./ItemsAdminPage')).ItemsAdminPage }),
      },
      {
        path: 'catalogue/admin/new',
        lazy: async () => ({ Component: (await import('./ItemEditorPage')).ItemEditorPage }),
      },
      {
        path: 'catalogue/admin/:id',
        lazy: async () => ({ Component: (await import('./ItemEditorPage')).ItemEditorPage }),
      },
    ],
  },
];
