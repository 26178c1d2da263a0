import type { RouteObject } from 'react-router-dom';

/** Steward's own backup (admins): where and when Steward backs itself up, and its runs. */
export const drRoutes: RouteObject[] = [
  {
    path: 'steward-backup',
    lazy: async () => ({ Component: (await import('./ServerBackupPage')).ServerBackupPage }),
  },
];
