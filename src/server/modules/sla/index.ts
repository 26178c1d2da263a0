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
