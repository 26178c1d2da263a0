export { ticketsRoutes } from './tickets.routes.js';
export { TRANSITIONS } from './transitions.js';
export { autoCloseResolved } from './autoclose.service.js';
