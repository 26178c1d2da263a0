export { viewsRoutes } from './views.routes.js';
export { getView } from './views.service.js';
