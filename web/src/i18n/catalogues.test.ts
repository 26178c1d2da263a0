// Every language's catalogue is complete and valid; formatting follows the chosen language.
import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from '../ui/format';
import { catalogueProblems } from './check';
import de from './de.json';
import en from './en.json';
import { formatTagFor, pickLocale, setActiveLocale } from './locale';

describe('message catalogues', () => {
  it('English is valid ICU throughout', () => {
    expect(catalogueProblems(en, en)).toEqual([]);
  });

  it('German has every English key, no other, each valid ICU with the same arguments', () => {
    expect(catalogueProblems(en, de)).toEqual([]);
  });

  it('the check fails on a missing key, an extra key, broken ICU and a lost argument', () => {
    const reference = { a: 'A', b: '{count, plural, one {# item} other {# items}}', c: 'Hi {name}' };
    const broken = { b: '{count, plural, one {# Stück}', c: 'Hallo', d: 'extra' };
    expect(catalogueProblems(reference, broken)).toEqual([
      'missing key a',
      expect.stringMatching(/^b: invalid ICU message/),
      "c: arguments {} differ from the reference's {name}",
      'extra key d',
    ]);
  });

  it('plural rules come from the language (ICU), not from the code', () => {
    const unread = (locale: 'en' | 'de', count: number) =>
      createIntl({ locale, messages: locale === 'en' ? en : de }).formatMessage(
        { id: 'shell.unread' },
        { count },
      );
    expect(unread('en', 1)).toBe('1 unread');
    expect(unread('en', 1200)).toBe('1,200 unread');
    expect(unread('de', 1200)).toBe('1.200 ungelesen');
  });
});

describe('language choice and formatting', () => {
  it('takes the user’s choice, else the browser’s first known language, else English', () => {
    expect(pickLocale('de', ['en-US'])).toBe('de');
    expect(pickLocale(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(pickLocale(undefined, ['fr'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });

  it('formats dates and numbers the way the active language writes them', () => {
    const at = '2026-12-07T12:30:00Z';
    setActiveLocale('de');
    expect(formatDate(at)).toBe('07.12.2026');
    expect(formatDateTime(at)).toMatch(/^07\.12\.2026, \d{2}:30$/);
    expect(formatNumber(1234.5)).toBe('1.234,5');
    setActiveLocale('en');
    expect(formatDate(at)).toBe('Dec 7, 2026');
    expect(formatDateTime(at)).toMatch(/^Dec 7, 2026, \d{1,2}:30\s[AP]M$/);
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatDateTime(null)).toBe('—');
    setActiveLocale('en', 'en-GB');
    expect(formatDate(at)).toBe('7 Dec 2026');
    setActiveLocale('en');
  });

  it('formats in the browser’s own variant of the chosen language, else in the language itself', () => {
    expect(formatTagFor('en', ['en-GB', 'de'])).toBe('en-GB');
    expect(formatTagFor('de', ['en-GB', 'de-AT'])).toBe('de-AT');
    expect(formatTagFor('de', ['en-GB'])).toBe('de');
  });
});
