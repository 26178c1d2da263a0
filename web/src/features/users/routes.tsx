import type { RouteObject } from 'react-router-dom';
import { AccountPage } from './AccountPage';
import { UserCreatePage } from './UserCreatePage';
import { UserEditPage } from './UserEditPage';
import { UsersPage } from './UsersPage';

/** Routes of the users area (admin only; the app puts them behind the role gate). */
export const usersRoutes: RouteObject[] = [
  { path: 'users', element: <UsersPage /> },
  { path: 'users/new', element: <UserCreatePage /> },
  { path: 'users/:id', element: <UserEditPage /> },
];

/** The signed-in user's own account page (every role). */
export const accountRoutes: RouteObject[] = [{ path: 'account', element: <AccountPage /> }];
