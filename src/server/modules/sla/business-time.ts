/**
 * Business-time arithmetic on working calendars: working hours per weekday in a time zone, with holidays.
 * Pure functions over epoch milliseconds, no database.
 *
 * Working hours are wall-clock times in the calendar's zone, and an instant is working time when its local
 * time falls in one of its day's spans: 09:00–17:00 is eight hours on a daylight-saving day too, a day worked
 * around the clock (00:00–24:00) has 23 or 25 hours when the clocks change, a skipped hour is never working
 * time and a repeated hour counts twice.
 */

/** A span of local minutes after midnight, [start, end), 0 ≤ start < end ≤ 1440. */
export type MinuteSpan = readonly [number, number];

/** A working calendar. */
export interface Calendar {
  /** IANA time zone, e.g. Europe/Berlin. */
  timezone: string;
  /** Working spans per weekday, index 0 = Sunday … 6 = Saturday; sorted, not overlapping. */
  week: readonly (readonly MinuteSpan[])[];
  /** Days that differ from the week: `hours` empty (or absent) = closed all day; otherwise a short day. */
  holidays: readonly { date: string; hours?: readonly MinuteSpan[] }[];
}

/** Round the clock, every day: the calendar of 24x7 support. */
export const ALWAYS: Calendar = {
  timezone: 'UTC',
  week: Array.from({ length: 7 }, () => [[0, 1440]] as const),
  holidays: [],
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far a search for working time may look ahead before the calendar is declared empty. */
const MAX_DAYS = 366 * 5;

/** Raised when a calendar has no working time in reach (e.g. every weekday empty). */
export class EmptyCalendarError extends Error {
  override readonly name = 'EmptyCalendarError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ms`, in ms (local = utc + offset). */
export function offsetAt(tz: string, ms: number): number {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The local calendar date (as a UTC-midnight day number) of instant `ms` in `tz`. */
export function localDay(tz: string, ms: number): number {
  return Math.floor((ms + offsetAt(tz, ms)) / DAY);
}

/** The first instant (on a minute) in (lo, hi] whose offset is not `o`; offsetAt(lo) must be `o`. */
function transitionIn(tz: string, lo: number, hi: number, o: number): number {
  while (hi - lo > MINUTE) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
    if (mid <= lo) break;
    if (offsetAt(tz, mid) === o) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** `YYYY-MM-DD` of a UTC-midnight day number. */
function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const spanCache = new WeakMap<Calendar, Map<number, [number, number][]>>();

/**
 * The working time of one local day as UTC instants [start, end), in order: every instant whose wall-clock
 * time in the calendar's zone falls in one of the day's spans. Around an offset change the day is cut at the
 * change and each part mapped with its own offset, so a skipped hour is no working time and a repeated hour
 * counts twice.
 */
export function workingSpans(cal: Calendar, day: number): [number, number][] {
  let byDay = spanCache.get(cal);
  if (!byDay) spanCache.set(cal, (byDay = new Map<number, [number, number][]>()));
  const hit = byDay.get(day);
  if (hit) return hit;
  const date = isoDate(day);
  const holiday = cal.holidays.find((h) => h.date === date);
  const spans = holiday ? (holiday.hours ?? []) : (cal.week[new Date(day * DAY).getUTCDay()] ?? []);
  // Every zone's offset lies within ±14 h: these instants surround the whole local day.
  const lo = day * DAY - 15 * HOUR;
  const hi = (day + 1) * DAY + 15 * HOUR;
  const o1 = offsetAt(cal.timezone, lo);
  const o2 = offsetAt(cal.timezone, hi);
  const t = o1 === o2 ? hi : transitionIn(cal.timezone, lo, hi, o1);
  const pieces: [number, number, number][] =
    o1 === o2
      ? [[lo, hi, o1]]
      : [
          [lo, t, o1],
          [t, hi, o2],
        ];
  const out: [number, number][] = [];
  for (const [s, e] of spans) {
    for (const [u1, u2, o] of pieces) {
      const x = Math.max(day * DAY + s * MINUTE, u1 + o);
      const y = Math.min(day * DAY + e * MINUTE, u2 + o);
      if (y > x) out.push([x - o, y - o]);
    }
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const iv of out) {
    const last = merged.at(-1);
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  if (byDay.size > 4096) byDay.clear();
  byDay.set(day, merged);
  return merged;
}

/** Working spans overlapping [from, …), clipped to start at `from`, day by day. */
function* spansFrom(cal: Calendar, from: number): Generator<[number, number]> {
  // Start a day early: a span of the previous local day may still be running at `from`.
  const first = localDay(cal.timezone, from) - 1;
  let emptyDays = 0;
  let done = from;
  for (let day = first; ; day++) {
    let any = false;
    for (const [s, e] of workingSpans(cal, day)) {
      if (e <= done) continue;
      any = true;
      yield [Math.max(s, done), e];
      done = e;
    }
    emptyDays = any ? 0 : emptyDays + 1;
    if (emptyDays > MAX_DAYS)
      throw new EmptyCalendarError('the calendar has no working time within five years');
  }
}

/** Business time in [a, b), in ms (0 when b ≤ a). */
export function businessTimeBetween(cal: Calendar, a: number, b: number): number {
  if (b <= a) return 0;
  let total = 0;
  const lastDay = localDay(cal.timezone, b) + 1;
  for (let day = localDay(cal.timezone, a) - 1; day <= lastDay; day++) {
    for (const [s, e] of workingSpans(cal, day)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return total;
}

/** The instant at which `duration` ms of business time have passed after `start` (start itself if ≤ 0). */
export function addBusinessTime(cal: Calendar, start: number, duration: number): number {
  if (duration <= 0) return start;
  let left = duration;
  for (const [s, e] of spansFrom(cal, start)) {
    if (e - s >= left) return s + left;
    left -= e - s;
  }
  /* c8 ignore next */
  throw new EmptyCalendarError('unreachable');
}
