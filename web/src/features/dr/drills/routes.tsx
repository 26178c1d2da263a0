import type { RouteObject } from 'react-router-dom';

/** A drill's page (its plan's page shows the history: DrillHistory.tsx). */
export const drillRoutes: RouteObject[] = [
  { path: 'dr/drills/:id', lazy: async () => ({ Component: (await import('./DrillPage')).DrillPage }) },
];
