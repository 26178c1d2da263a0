/**
 * SLAs: working calendars, policies per ticket type with business-time targets per priority, the clock
 * (recomputed from a ticket's history), the per-ticket projection for lists and escalation, and the API.
 */
export {
  addBusinessTime,
  ALWAYS,
  businessTimeBetween,
  type Calendar,
  EmptyCalendarError,
  isTimeZone,
  type MinuteSpan,
} from './business-time.js';
export {
  type ClockPolicy,
  type ClockReading,
  type ClockState,
  type HistoryEvent,
  readClock,
  type Targets,
  type TicketHistory,
} from './clock.js';
export { dueSteps, policiesByType, readTickets, refreshSla, type Step } from './projection.js';
export { recomputeAll, requireSlaPolicy, setTicketPolicyIn, slaJobs, ticketSla } from './sla.service.js';
export {
  dueChecks,
  insertSlaEvent,
  markEscalated,
  policyNames as slaPolicyNames,
  projectionOf,
} from './sla.repository.js';
export { slaRoutes } from './sla.routes.js';
export { slaKpiSource, type SlaKpiRow } from './kpi-source.js';
