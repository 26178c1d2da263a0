import type { RouteObject } from 'react-router-dom';

/** The compliance register: frameworks, a framework's controls, a control. Loaded on first use. */
export const complianceRoutes: RouteObject[] = [
  {
    path: 'compliance',
    lazy: async () => ({ Component: (await import('./CompliancePage')).CompliancePage }),
  },
  {
    path: 'compliance/frameworks/:id',
    lazy: async () => ({ Component: (await import('./FrameworkPage')).FrameworkPage }),
  },
  {
    path: 'compliance/controls/:id',
    lazy: async () => ({ Component: (await import('./ControlPage')).ControlPage }),
  },
];
