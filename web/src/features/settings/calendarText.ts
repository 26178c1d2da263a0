// Working hours and holidays as people type them ("09:00–12:00, 13:00–17:00"; "2026-12-24 09:00–12:00
// Christmas Eve"), to and from the API's minute spans.
import type { Holiday } from '@contracts';
import type { Translate } from '../../i18n';

const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:00–17:00, …" for a day's spans ("" = closed). */
export function spansText(spans: readonly (readonly [number, number])[]): string {
  return spans.map(([s, e]) => `${hhmm(s)}–${hhmm(e)}`).join(', ');
}

const TIME = /^(\d{1,2}):(\d{2})$/;
const minutesOf = (t: string): number | undefined => {
  const m = TIME.exec(t.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
};

/** Parses "09:00–12:00, 13:00-17:00" (en dash or hyphen); an error in words for anything else. */
export function parseSpans(t: Translate, text: string): { spans: [number, number][] } | { error: string } {
  const spans: [number, number][] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [a, b, ...rest] = part.split(/[–-]/);
    const s = a === undefined ? undefined : minutesOf(a);
    const e = b === undefined ? undefined : minutesOf(b);
    if (rest.length > 0 || s === undefined || e === undefined) {
      return { error: t('calendar.notSpan', { part }) };
    }
    if (s >= e) return { error: t('calendar.endAfterStart', { part }) };
    const last = spans[spans.length - 1];
    if (last && last[1] > s) return { error: t('calendar.order') };
    spans.push([s, e]);
  }
  return { spans };
}

/** One holiday per line: "2026-12-25 Christmas Day", or with short hours "2026-12-24 09:00–12:00 Christmas Eve". */
export function holidaysText(holidays: readonly Holiday[]): string {
  return holidays
    .map((h) => [h.date, h.hours ? spansText(h.hours) : '', h.name ?? ''].filter(Boolean).join(' '))
    .join('\n');
}

/** Parses the holiday lines; the first bad line is named in the error. */
export function parseHolidays(t: Translate, text: string): { holidays: Holiday[] } | { error: string } {
  const holidays: Holiday[] = [];
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    const m =
      /^(\d{4}-\d{2}-\d{2})(?:\s+((?:\d{1,2}:\d{2}\s*[–-]\s*\d{1,2}:\d{2}\s*,?\s*)+))?(?:\s+(.*))?$/.exec(
        line,
      );
    if (!m?.[1]) return { error: t('calendar.lineDate', { n: i + 1 }) };
    const h: Holiday = { date: m[1] };
    if (m[2]) {
      const spans = parseSpans(t, m[2].replace(/\s+/g, ''));
      if ('error' in spans) return { error: t('calendar.line', { n: i + 1, error: spans.error }) };
      h.hours = spans.spans;
    }
    if (m[3]?.trim()) h.name = m[3].trim();
    holidays.push(h);
  }
  return { holidays };
}

/** Minutes as "1 h 30 min" or "2 d 4 h" (business time: a "day" is 24 h of working time). */
export function durationText(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

/** "4h", "90m", "1h30m", "2.5h" or a bare number of minutes → minutes; undefined if unreadable; null if empty. */
export function parseDuration(text: string): number | null | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+)(?:m|min))?$/.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Math.round(Number(m[1] ?? 0) * 60) + Number(m[2] ?? 0);
}
