import type { RouteObject } from 'react-router-dom';
import { TokensPage } from './TokensPage';

/** Routes of the tokens area (every signed-in user). */
export const tokensRoutes: RouteObject[] = [{ path: 'tokens', element: <TokensPage /> }];
