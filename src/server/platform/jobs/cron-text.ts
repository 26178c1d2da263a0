/**
 * A cron pattern as a person reads it: "Every first Monday at 09:00 Europe/Berlin". Covers the patterns people
 * write for schedules (a fixed time on every day, on chosen weekdays, on the n-th or last weekday of the month,
 * on a day of the month, every n minutes or hours); anything else is shown as the pattern itself.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_KEYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTH_KEYS = MONTHS.map((m) => m.slice(0, 3).toUpperCase());
const NTH = ['', 'first', 'second', 'third', 'fourth', 'fifth'];

const pad = (n: number) => String(n).padStart(2, '0');
const num = (s: string, min: number, max: number): number | null => {
  if (!/^\d{1,2}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
};
const day = (s: string): number | null => {
  const i = DAY_KEYS.indexOf(s.toUpperCase());
  if (i >= 0) return i;
  const n = num(s, 0, 7);
  return n === null ? null : n % 7;
};
const month = (s: string): number | null => {
  const i = MONTH_KEYS.indexOf(s.toUpperCase());
  if (i >= 0) return i;
  const n = num(s, 1, 12);
  return n === null ? null : n - 1;
};
const ordinal = (n: number) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
};
const list = (xs: string[]) =>
  xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

/** Which days of the week, or null when the field says something this cannot put in words. */
function weekdays(f: string): string | null {
  const nth = /^(\w+)#([1-5L])$/i.exec(f);
  if (nth) {
    const d = day(nth[1]!);
    if (d === null) return null;
    return `${nth[2]!.toUpperCase() === 'L' ? 'last' : NTH[Number(nth[2])]} ${DAYS[d]}`;
  }
  const range = /^(\w+)-(\w+)$/.exec(f);
  if (range) {
    const a = day(range[1]!);
    const b = day(range[2]!);
    const end = range[2] === '7' ? 7 : b;
    if (a === null || b === null || end === null || a >= end) return null;
    if (end - a >= 6) return 'day';
    return `${DAYS[a]} to ${DAYS[b]}`;
  }
  const days = f.split(',').map(day);
  if (days.some((d) => d === null)) return null;
  return list(days.map((d) => DAYS[d!]!));
}

/** When in the day: "at 09:00", "every 15 minutes", "every 2 hours at :30"; null when not simple. */
function timeOfDay(minute: string, hour: string): string | null {
  const m = num(minute, 0, 59);
  const h = num(hour, 0, 23);
  if (m !== null && h !== null) return `at ${pad(h)}:${pad(m)}`;
  const everyMin = /^(?:\*|0)\/(\d{1,2})$/.exec(minute);
  if (everyMin && hour === '*') {
    const n = Number(everyMin[1]);
    return n === 1 ? 'every minute' : `every ${n} minutes`;
  }
  if (minute === '*' && hour === '*') return 'every minute';
  const everyHour = /^(?:\*|0)\/(\d{1,2})$/.exec(hour);
  if (m !== null && (hour === '*' || everyHour)) {
    const n = everyHour ? Number(everyHour[1]) : 1;
    return `${n === 1 ? 'every hour' : `every ${n} hours`} at :${pad(m)}`;
  }
  return null;
}

/** Which days: "every day", "every first Monday", "on the 1st of every month"; null when not simple. */
function daysOf(dom: string, mon: string, dow: string): string | null {
  const inMonth = mon === '*' ? null : month(mon);
  if (mon !== '*' && inMonth === null) return null;
  const of = inMonth === null ? 'of every month' : `of ${MONTHS[inMonth]}`;
  const within = inMonth === null ? '' : ` in ${MONTHS[inMonth]}`;
  if (dom === '*' || dom === '?') {
    if (dow === '*' || dow === '?') return `every day${within}`;
    const w = weekdays(dow);
    return w === null ? null : `every ${w}${within}`;
  }
  if (dow !== '*' && dow !== '?') return null; // both set: croner fires on either, which no sentence says well
  if (dom.toUpperCase() === 'L') return `on the last day ${of}`;
  const d = num(dom, 1, 31);
  return d === null ? null : `on the ${ordinal(d)} ${of}`;
}

/**
 * `cron` in `timeZone` in words, starting with a capital: "Every Monday to Friday at 07:30 UTC". Patterns this
 * does not know how to say come back as "Cron “…” in <zone>".
 */
export function describeCron(cron: string, timeZone: string): string {
  let f = cron.trim().split(/\s+/);
  if (f.length === 6) {
    if (f[0] !== '0') return `Cron “${cron.trim()}” in ${timeZone}`;
    f = f.slice(1);
  }
  const [minute, hour, dom, mon, dow] = f;
  if (f.length !== 5 || !minute || !hour || !dom || !mon || !dow)
    return `Cron “${cron.trim()}” in ${timeZone}`;
  const when = timeOfDay(minute, hour);
  const days = daysOf(dom, mon, dow);
  if (when === null || days === null) return `Cron “${cron.trim()}” in ${timeZone}`;
  const text = !when.startsWith('at ')
    ? `${when}${days === 'every day' ? '' : `, ${days}`} (${timeZone})`
    : `${days} ${when} ${timeZone}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
