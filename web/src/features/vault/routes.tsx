import type { RouteObject } from 'react-router-dom';

/** The vault's pages for IT: the passwords shared with me. Loaded on first use. */
export const vaultRoutes: RouteObject[] = [
  { path: 'passwords', lazy: async () => ({ Component: (await import('./PasswordsPage')).PasswordsPage }) },
];
