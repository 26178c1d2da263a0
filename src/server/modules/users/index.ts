export {
  createUser,
  existingUserIds,
  getUser,
  listUsers,
  revokeRole,
  roleHolders,
  roleRevoked,
  rolesOf,
  toView,
  updateUser,
  userFromMail,
  userNames,
} from './users.service.js';
export {
  activeAdminIds,
  activeByRole as activeUsers,
  count as countUsers,
  findById as findUserById,
  findForLogin,
  managerOf,
} from './users.repository.js';
export type { UserRow } from './users.repository.js';
export { firstRunRoutes } from './first-run.routes.js';
export { type FirstRun, prepareFirstRun } from './setup.service.js';
export { usersJobs } from './links.service.js';
