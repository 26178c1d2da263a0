export {
  csrfValid,
  endSessionsOf,
  login,
  logout,
  purgeExpiredSessions,
  resolveBearer,
  resolveSession,
  throttleRequest,
} from './auth.service.js';
export type { AuthSettings, Client, Resolved } from './auth.service.js';
export { authRoutes } from './auth.routes.js';
