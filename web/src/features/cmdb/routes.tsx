import type { RouteObject } from 'react-router-dom';

/**
 * The inventory (CMDB) for agents, managers and admins: the list, items, licence compliance and CSV. Loaded on
 * first use, with its styles.
 */
export const cmdbRoutes: RouteObject[] = [
  { path: 'inventory', lazy: async () => ({ Component: (await import('./InventoryPage')).InventoryPage }) },
  { path: 'inventory/new', lazy: async () => ({ Component: (await import('./NewItemPage')).NewItemPage }) },
  {
    path: 'inventory/licences',
    lazy: async () => ({ Component: (await import('./LicencesPage')).LicencesPage }),
  },
  { path: 'inventory/csv', lazy: async () => ({ Component: (await import('./CsvPage')).CsvPage }) },
  { path: 'inventory/:id', lazy: async () => ({ Component: (await import('./ItemPage')).ItemPage }) },
];

/** The inventory's administration (admins): item classes and discovery agents. */
export const cmdbAdminRoutes: RouteObject[] = [
  {
    path: 'inventory/classes',
    lazy: async () => ({ Component: (await import('./ClassesPage')).ClassesPage }),
  },
  { path: 'inventory/agents', lazy: async () => ({ Component: (await import('./AgentsPage')).AgentsPage }) },
];
