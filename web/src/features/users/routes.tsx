import type { RouteObject } from 'react-router-dom';
import { UserCreatePage } from './UserCreatePage';
import { UserEditPage } from './UserEditPage';
import { UsersPage } from './UsersPage';

/** Routes of the users area (admin only; the app puts them behind the role gate). */
export const usersRoutes: RouteObject[] = [
  { path: 'users', element: <UsersPage /> },
  { path: 'users/new', element: <UserCreatePage /> },
  { path: 'users/:id', element: <UserEditPage /> },
];
