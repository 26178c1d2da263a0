// Dates and numbers in the user's language (the locale the I18nProvider made active).
import { activeFormatTag } from '../i18n/locale';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(kind: 'dateTime' | 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${activeFormatTag()}:${kind}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { dateStyle: 'medium', timeStyle: 'short' }
        : kind === 'date'
          ? { dateStyle: 'medium' }
          : { timeStyle: 'short' };
    f = new Intl.DateTimeFormat(activeFormatTag(), options);
    cache.set(key, f);
  }
  return f as Intl.DateTimeFormat;
}

function format(iso: string | null | undefined, kind: 'dateTime' | 'date' | 'time'): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat(kind).format(d);
}

/** A timestamp as a short local date and time in the user's language; an em dash for null. */
export function formatDateTime(iso: string | null | undefined): string {
  return format(iso, 'dateTime');
}

/** A timestamp as a local date in the user's language; an em dash for null. */
export function formatDate(iso: string | null | undefined): string {
  return format(iso, 'date');
}

/** A timestamp as a local time of day in the user's language; an em dash for null. */
export function formatTime(iso: string | null | undefined): string {
  return format(iso, 'time');
}

/** A calendar day (`2026-12-24`, no time of day) as a date in the user's language; the text itself if unreadable. */
export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const key = `${activeFormatTag()}:day`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(activeFormatTag(), { dateStyle: 'medium', timeZone: 'UTC' });
    cache.set(key, f);
  }
  return (f as Intl.DateTimeFormat).format(d);
}

/** A short weekday name in the user's language, Sunday = 0 (`Mon`, `Mo`). */
export function weekdayName(day: number, width: 'short' | 'long' = 'short'): string {
  // 2023-01-01 was a Sunday
  const d = new Date(Date.UTC(2023, 0, 1 + day));
  return new Intl.DateTimeFormat(activeFormatTag(), { weekday: width, timeZone: 'UTC' }).format(d);
}

/** A number with the user's language's digit grouping and decimal sign (`1,234.5` / `1.234,5`). */
export function formatNumber(n: number): string {
  const key = `${activeFormatTag()}:number`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(activeFormatTag());
    cache.set(key, f);
  }
  return (f as Intl.NumberFormat).format(n);
}

/** Upper-cases the first letter (`admin` -> `Admin`). */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
