import type { RouteObject } from 'react-router-dom';

/**
 * The agent console: the queue and the ticket page (agents, managers, admins). Loaded on first use, so the
 * Markdown renderer and the desk's pages stay out of the shell's first download.
 */
export const ticketsRoutes: RouteObject[] = [
  { path: 'tickets', lazy: async () => ({ Component: (await import('./QueuePage')).QueuePage }) },
  { path: 'tickets/macros', lazy: async () => ({ Component: (await import('./MacrosPage')).MacrosPage }) },
  { path: 'tickets/:id', lazy: async () => ({ Component: (await import('./TicketPage')).TicketPage }) },
];
