import { describe, expect, it } from 'vitest';
import { isDue } from './backup.js';

// Fridays at 17:00 in Paris (16:00 UTC in winter).
const FRIDAY = '0 17 * * 5';
const at = (iso: string) => new Date(iso);

describe('isDue: when the agent runs a scheduled backup', () => {
  it('runs a weekly backup missed while the machine was off at the next opportunity, once', () => {
    const lastRun = at('2026-12-04T16:00:10Z'); // Friday 4 December, on time
    // Off on Friday 11 December; switched on on Monday 14: the missed run starts now.
    expect(isDue(FRIDAY, 'Europe/Paris', lastRun, at('2026-12-14T08:00:00Z'))).toBe(true);
    // Off for three weeks: still one run, and after it nothing until the next Friday.
    expect(isDue(FRIDAY, 'Europe/Paris', lastRun, at('2026-12-28T08:00:00Z'))).toBe(true);
    const ranMonday = at('2026-12-28T08:00:00Z');
    expect(isDue(FRIDAY, 'Europe/Paris', ranMonday, at('2026-12-28T09:00:00Z'))).toBe(false);
    expect(isDue(FRIDAY, 'Europe/Paris', ranMonday, at('2027-01-01T15:59:59Z'))).toBe(false);
    expect(isDue(FRIDAY, 'Europe/Paris', ranMonday, at('2027-01-01T16:00:00Z'))).toBe(true);
  });

  it('follows the schedule’s time zone', () => {
    const lastRun = at('2026-12-04T16:00:10Z');
    expect(isDue(FRIDAY, 'Europe/Paris', lastRun, at('2026-12-11T15:59:00Z'))).toBe(false);
    expect(isDue(FRIDAY, 'Europe/Paris', lastRun, at('2026-12-11T16:00:00Z'))).toBe(true);
    // The same pattern in UTC fires an hour later.
    const lastUtc = at('2026-12-04T17:00:10Z');
    expect(isDue(FRIDAY, 'UTC', lastUtc, at('2026-12-11T16:30:00Z'))).toBe(false);
    expect(isDue(FRIDAY, 'UTC', lastUtc, at('2026-12-11T17:00:00Z'))).toBe(true);
  });

  it('runs at once the first time when the schedule fired within the past week, else waits', () => {
    expect(isDue(FRIDAY, 'UTC', null, at('2026-12-07T09:00:00Z'))).toBe(true);
    // Once a year on 1 January: nothing fired in the past week of 7 December.
    expect(isDue('0 0 1 1 *', 'UTC', null, at('2026-12-07T09:00:00Z'))).toBe(false);
  });

  it('runs a missed working-hours backup when the machine wakes up, not during the night', () => {
    const hourly = '0 8-18/1 * * 1-5';
    const lastRun = at('2026-12-07T10:00:05Z'); // Monday 10:00 UTC
    // Asleep from 10:30 to 14:20: the 11:00–14:00 runs make one run at wake-up.
    expect(isDue(hourly, 'UTC', lastRun, at('2026-12-07T14:20:00Z'))).toBe(true);
    expect(isDue(hourly, 'UTC', at('2026-12-07T18:00:05Z'), at('2026-12-08T07:59:00Z'))).toBe(false);
  });

  it('runs an hourly backup every hour, and the night’s missed runs as one in the morning', () => {
    const hourly = '0 * * * *';
    const lastRun = at('2026-11-25T13:00:02Z');
    expect(isDue(hourly, 'UTC', lastRun, at('2026-11-25T13:59:59Z'))).toBe(false);
    expect(isDue(hourly, 'UTC', lastRun, at('2026-11-25T14:00:00Z'))).toBe(true);
    expect(isDue(hourly, 'UTC', at('2026-11-24T17:00:01Z'), at('2026-11-25T09:00:00Z'))).toBe(true);
  });
});
