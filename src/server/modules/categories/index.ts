export { categoryExists } from './categories.service.js';
export { categoriesRoutes } from './categories.routes.js';
