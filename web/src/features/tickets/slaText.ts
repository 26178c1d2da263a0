// What an SLA clock says, in words that never contradict each other ("Breached · 0 min left" cannot happen).
import type { SlaClock, SlaClockState } from '@contracts';
import type { Translate } from '../../i18n';

/** Business minutes as "2 h 05 min". */
export function durationText(t: Translate, minutes: number): string {
  const abs = Math.abs(Math.round(minutes));
  return abs >= 60
    ? t('sla.hoursMinutes', { h: Math.floor(abs / 60), m: String(abs % 60).padStart(2, '0') })
    : t('sla.minutes', { m: abs });
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
export function clockText(t: Translate, clock: SlaClock): string {
  const state = shownState(clock);
  const left = () => t('sla.left', { time: durationText(t, clock.remainingMinutes) });
  const over = () => t('sla.over', { time: durationText(t, clock.remainingMinutes) });
  switch (state) {
    case 'met':
    case 'missed':
      return t('sla.took', { elapsed: clock.elapsedMinutes, target: clock.targetMinutes });
    case 'breached':
      return clock.remainingMinutes < 0 ? over() : t('sla.dueNow');
    case 'paused':
      return clock.remainingMinutes < 0 ? over() : left();
    case 'running':
    case 'warning':
      return left();
  }
}
