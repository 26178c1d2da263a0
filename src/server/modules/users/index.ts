export {
  createUser,
  existingUserIds,
  getUser,
  listUsers,
  toView,
  updateUser,
  userFromMail,
  userNames,
} from './users.service.js';
export {
  activeAdminIds,
  count as countUsers,
  findById as findUserById,
  findForLogin,
} from './users.repository.js';
export type { UserRow } from './users.repository.js';
