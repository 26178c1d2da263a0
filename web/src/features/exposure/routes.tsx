import type { RouteObject } from 'react-router-dom';

/** Vulnerability exposure for IT. Loaded on first use. */
export const exposureRoutes: RouteObject[] = [
  { path: 'exposure', lazy: async () => ({ Component: (await import('./ExposurePage')).ExposurePage }) },
];
