export { categoryExists } from './categories.service.js';
export { categoriesRoutes } from './categories.routes.js';
export { ancestorsOf as categoryWithAncestors } from './categories.repository.js';
