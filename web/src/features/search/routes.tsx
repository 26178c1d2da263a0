import type { RouteObject } from 'react-router-dom';

/** /search: the global search's results, for every role (the API decides what each may see). */
export const searchRoutes: RouteObject[] = [
  { path: 'search', lazy: async () => ({ Component: (await import('./SearchPage')).SearchPage }) },
];
