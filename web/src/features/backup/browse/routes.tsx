import type { RouteObject } from 'react-router-dom';

/**
 * Browsing a device's backups (every role: IT any device, requesters their own; the API decides and answers
 * "not found" otherwise). Loaded on first use, with its styles.
 */
export const browseRoutes: RouteObject[] = [
  {
    path: 'backups/browse',
    lazy: async () => ({ Component: (await import('./DevicesPage')).DevicesPage }),
  },
  {
    path: 'backups/browse/:ciId',
    lazy: async () => ({ Component: (await import('./SnapshotsPage')).SnapshotsPage }),
  },
  {
    path: 'backups/browse/:ciId/snapshots/:snapshotId',
    lazy: async () => ({ Component: (await import('./FolderPage')).FolderPage }),
  },
  {
    path: 'backups/browse/:ciId/compare',
    lazy: async () => ({ Component: (await import('./ComparePage')).ComparePage }),
  },
];
