/** Periods of whole UTC days and their buckets (pure). */
import type { CardPeriod, Granularity } from '../../../contracts/index.js';
import { Invalid } from '../../platform/errors.js';

/** A run of whole UTC days, both ends included (YYYY-MM-DD). */
export interface Days {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** The longest period a KPI covers (ten years), and the most buckets a trend has. */
export const MAX_DAYS = 3660;
export const MAX_BUCKETS = 400;

/** The date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight UTC at the start of `day`. */
export function startOf(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Midnight UTC after `day`: the exclusive end of a period ending on `day`. */
export function endOf(day: string): Date {
  return startOf(addDays(day, 1));
}

/** Checks a period (400 when it is upside down, too long or cut into too many buckets) and returns its buckets. */
export function bucketsOf(period: Days, granularity: Granularity): Days[] {
  const days = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS + 1;
  if (!Number.isFinite(days) || days < 1) {
    throw Invalid('the period ends before it starts', [
      { path: 'querystring.to', message: 'must not be before from' },
    ]);
  }
  if (days > MAX_DAYS) {
    throw Invalid(`a period covers at most ${MAX_DAYS} days`, [
      { path: 'querystring.from', message: 'too far back' },
    ]);
  }
  const out: Days[] = [];
  let start = period.from;
  while (start <= period.to) {
    const next = nextBucket(start, granularity);
    const end = addDays(next, -1);
    out.push({ from: start, to: end < period.to ? end : period.to });
    start = next;
    if (out.length > MAX_BUCKETS) {
      throw Invalid(`a trend has at most ${MAX_BUCKETS} points: choose a coarser granularity`, [
        { path: 'querystring.granularity', message: 'too many points for this period' },
      ]);
    }
  }
  return out;
}

/** The first day of the bucket after the one `day` is in. */
function nextBucket(day: string, granularity: Granularity): string {
  const d = startOf(day);
  switch (granularity) {
    case 'day':
      return addDays(day, 1);
    case 'week':
      return addDays(day, 7 - ((d.getUTCDay() + 6) % 7));
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  }
}

/** A dashboard card's relative period, ending today (UTC). */
export function cardDays(period: CardPeriod, now = new Date()): Days {
  const to = now.toISOString().slice(0, 10);
  switch (period) {
    case 'last_7_days':
      return { from: addDays(to, -6), to };
    case 'last_30_days':
      return { from: addDays(to, -29), to };
    case 'last_90_days':
      return { from: addDays(to, -89), to };
    case 'last_12_months':
      return { from: addDays(nextBucket(addDays(to, -365), 'month'), 0), to };
    case 'this_year':
      return { from: `${to.slice(0, 4)}-01-01`, to };
  }
}
