import { describe, expect, it } from 'vitest';
import { nextRunAfter } from './cron.js';
import { cronSchedule } from './registry.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Firings of `cron` in `tz` from `from`, `n` of them. */
function firings(cron: string, tz: string, from: string, n: number): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = nextRunAfter(cron, tz, at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

describe('nextRunAfter (cron in a time zone)', () => {
  it('keeps 09:00 local across the spring change in Europe/Berlin (UTC+1 → UTC+2)', () => {
    expect(firings('0 9 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', 3)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('fires a skipped local time (02:30 on the spring change) once, after the jump', () => {
    expect(firings('30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 03:30 CEST: 02:30 does not exist that day
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('fires a repeated local time (02:30 on the autumn change) once, not twice', () => {
    const got = firings('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2);
    expect(got).toEqual(['2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(new Set(got.map((s) => s.slice(0, 10))).size).toBe(2);
  });

  it('keeps weekday mornings in America/New_York across its March change', () => {
    expect(firings('0 9 * * 1-5', 'America/New_York', '2026-03-06T15:00:00Z', 2)).toEqual([
      '2026-03-09T13:00:00.000Z', // Monday, EDT (UTC-4)
      '2026-03-10T13:00:00.000Z',
    ]);
    expect(iso(nextRunAfter('0 9 * * 1-5', 'America/New_York', new Date('2026-03-05T15:00:00Z')))).toBe(
      '2026-03-06T14:00:00.000Z', // Friday, still EST (UTC-5)
    );
  });

  it('is strictly after the given instant', () => {
    expect(iso(nextRunAfter('*/5 * * * *', 'UTC', new Date('2026-01-01T00:05:00Z')))).toBe(
      '2026-01-01T00:10:00.000Z',
    );
  });

  it('rejects invalid patterns and unknown time zones, at cronSchedule() time', () => {
    expect(() => nextRunAfter('61 * * * *', 'UTC', new Date())).toThrow(/minute/);
    expect(() => cronSchedule('cron.test.job', '* * * * *', { timezone: 'Mars/Olympus' })).toThrow(
      /invalid schedule/,
    );
    expect(() => cronSchedule('cron.test.job', 'every minute', { timezone: 'UTC' })).toThrow(
      /invalid schedule/,
    );
  });
});
