export {
  autoCloseDaysOf,
  discoveryLimitsOf,
  DEFAULT_MATRIX,
  priorityMatrixOf,
  reopenWindowDaysOf,
} from './settings.service.js';
export { settingsRoutes } from './settings.routes.js';
