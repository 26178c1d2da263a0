import { describe, expect, it } from 'vitest';
import type { SlaClock, SlaClockState } from '@contracts';
import { translator } from '../../i18n/translate';
import { clockText as clockTextIn, shownState } from './slaText';

const en = translator('en');
const clockText = (c: SlaClock) => clockTextIn(en, c);

const clock = (state: SlaClockState, remainingMinutes: number): SlaClock => ({
  state,
  targetMinutes: 240,
  elapsedMinutes: 240 - remainingMinutes,
  remainingMinutes,
  dueAt: '2026-12-07T12:00:00Z',
  warningAt: null,
  stoppedAt: null,
});

describe('SLA clock words', () => {
  it('never says "left" beside "breached", nor "over" beside a clock that still runs', () => {
    for (const state of ['running', 'warning', 'breached', 'paused'] as const) {
      for (const m of [-125, -1, 0, 1, 59, 61, 600]) {
        const c = clock(state, m);
        const shown = shownState(c);
        const text = clockText(c);
        if (shown === 'breached') expect(text, `${state} ${m}`).not.toMatch(/left/);
        if (shown === 'running' || shown === 'warning') expect(text, `${state} ${m}`).toMatch(/left$/);
        if (m > 0 && shown !== 'breached') expect(text).toMatch(/left$/);
      }
    }
  });

  it('reads as people expect', () => {
    expect([shownState(clock('breached', 0)), clockText(clock('breached', 0))]).toEqual([
      'breached',
      'due now',
    ]);
    expect([shownState(clock('running', 0)), clockText(clock('running', 0))]).toEqual([
      'breached',
      'due now',
    ]);
    expect(clockText(clock('breached', -125))).toBe('2 h 05 min over');
    expect(clockText(clock('warning', 30))).toBe('30 min left');
    expect(clockText(clock('met', 100))).toBe('in 140 of 240 business min');
  });

  it('speaks German too', () => {
    const de = translator('de');
    expect(clockTextIn(de, clock('breached', -125))).toBe('2 Std. 05 Min. überschritten');
    expect(clockTextIn(de, clock('warning', 30))).toBe('noch 30 Min.');
    expect(clockTextIn(de, clock('running', 0))).toBe('jetzt fällig');
  });
});
