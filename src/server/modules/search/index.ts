export { searchRoutes } from './search.routes.js';
export { globalSearch } from './search.service.js';
