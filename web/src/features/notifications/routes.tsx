import type { RouteObject } from 'react-router-dom';
import { NotificationsPage } from './NotificationsPage';

/** Routes of the notifications area (every signed-in user). */
export const notificationsRoutes: RouteObject[] = [{ path: 'notifications', element: <NotificationsPage /> }];
