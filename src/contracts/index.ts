export * from './common.js';
export * from './identity.js';
export * from './audit.js';
export * from './tickets.js';
export * from './jobs.js';
export * from './routing.js';
export * from './ticket-links.js';
export * from './sla.js';
