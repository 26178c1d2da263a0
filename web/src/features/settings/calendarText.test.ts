import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/translate';
import * as text from './calendarText';

const { holidaysText, parseDuration, spansText } = text;
const en = translator('en');
const parseSpans = (s: string) => text.parseSpans(en, s);
const parseHolidays = (s: string) => text.parseHolidays(en, s);

describe('working hours and holidays as text', () => {
  it('round-trips spans and refuses bad or overlapping ones', () => {
    expect(parseSpans('09:00–12:00, 13:00-17:30')).toEqual({
      spans: [
        [540, 720],
        [780, 1050],
      ],
    });
    expect(
      spansText([
        [540, 720],
        [780, 1440],
      ]),
    ).toBe('09:00–12:00, 13:00–24:00');
    expect(parseSpans('')).toEqual({ spans: [] });
    expect(parseSpans('17:00–09:00')).toEqual({ error: '17:00–09:00: the end must come after the start' });
    expect(parseSpans('09:00–13:00, 12:00–14:00')).toHaveProperty('error');
    expect(parseSpans('nine to five')).toHaveProperty('error');
    expect(parseSpans('25:00-26:00')).toHaveProperty('error');
  });

  it('round-trips holidays with names and short hours, naming the bad line', () => {
    const text = '2026-12-24 09:00–12:00 Christmas Eve\n\n2026-12-25 Christmas Day\n2027-01-01';
    const parsed = parseHolidays(text);
    expect(parsed).toEqual({
      holidays: [
        { date: '2026-12-24', hours: [[540, 720]], name: 'Christmas Eve' },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2027-01-01' },
      ],
    });
    if ('holidays' in parsed) expect(holidaysText(parsed.holidays)).toBe(text.replace('\n\n', '\n'));
    expect(parseHolidays('2026-12-25 ok\nChristmas')).toEqual({
      error: 'Line 2: start with a date like 2026-12-25',
    });
  });

  it('names the problem in German too', () => {
    const de = translator('de');
    expect(text.parseSpans(de, '17:00–09:00')).toEqual({
      error: '17:00–09:00: Das Ende muss nach dem Anfang liegen',
    });
    expect(text.parseHolidays(de, 'Weihnachten')).toEqual({
      error: 'Zeile 1: Beginnen Sie mit einem Datum wie 2026-12-25',
    });
  });

  it('reads durations', () => {
    expect(parseDuration('4h')).toBe(240);
    expect(parseDuration('1h 30m')).toBe(90);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('2.5h')).toBe(150);
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('soon')).toBeUndefined();
  });
});
