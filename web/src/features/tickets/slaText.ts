// What an SLA clock says, in words that never contradict each other ("Breached · 0 min left" cannot happen).
import type { SlaClock, SlaClockState } from '@contracts';

/** Business minutes as "2 h 05 min". */
export function durationText(minutes: number): string {
  const abs = Math.abs(Math.round(minutes));
  return abs >= 60 ? `${Math.floor(abs / 60)} h ${String(abs % 60).padStart(2, '0')} min` : `${abs} min`;
}

/** The state a clock is shown in: a live clock with no time left is breached, whatever was last stored. */
export function shownState(clock: Pick<SlaClock, 'state' | 'remainingMinutes'>): SlaClockState {
  const live = clock.state === 'running' || clock.state === 'warning';
  return live && clock.remainingMinutes <= 0 ? 'breached' : clock.state;
}

/**
 * The words after the state: time left while it runs, how far over once breached ("due now" at the very
 * minute), and the elapsed share once the clock stopped.
 */
export function clockText(clock: SlaClock): string {
  const state = shownState(clock);
  switch (state) {
    case 'met':
    case 'missed':
      return `in ${clock.elapsedMinutes} of ${clock.targetMinutes} business min`;
    case 'breached':
      return clock.remainingMinutes < 0 ? `${durationText(clock.remainingMinutes)} over` : 'due now';
    case 'paused':
      return clock.remainingMinutes < 0
        ? `${durationText(clock.remainingMinutes)} over`
        : `${durationText(clock.remainingMinutes)} left`;
    case 'running':
    case 'warning':
      return `${durationText(clock.remainingMinutes)} left`;
  }
}
