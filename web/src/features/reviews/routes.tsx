import type { RouteObject } from 'react-router-dom';

/** Access reviews: the campaigns and one campaign's holdings. Loaded on first use. */
export const reviewsRoutes: RouteObject[] = [
  { path: 'reviews', lazy: async () => ({ Component: (await import('./ReviewsPage')).ReviewsPage }) },
  { path: 'reviews/:id', lazy: async () => ({ Component: (await import('./ReviewPage')).ReviewPage }) },
];
