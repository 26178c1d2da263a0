export { ticketsRoutes } from './tickets.routes.js';
export { TRANSITIONS } from './transitions.js';
