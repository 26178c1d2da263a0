import type { RouteObject } from 'react-router-dom';
import { TeamCreatePage } from './TeamCreatePage';
import { TeamEditPage } from './TeamEditPage';
import { TeamsPage } from './TeamsPage';

/** Routes of the teams area (admin only). */
export const teamsRoutes: RouteObject[] = [
  { path: 'teams', element: <TeamsPage /> },
  { path: 'teams/new', element: <TeamCreatePage /> },
  { path: 'teams/:id', element: <TeamEditPage /> },
];
