export { macrosRoutes } from './macros.routes.js';
