// Which language the web app speaks, and the locale every date and number is formatted in.
import { LOCALES, type Locale } from '@contracts';

export { LOCALES, type Locale };

let active: Locale = 'en';

/**
 * The language to show: the user's own choice when they made one, otherwise the first of the browser's
 * languages we have a catalogue for, otherwise English.
 */
export function pickLocale(chosen: Locale | null | undefined, browser: readonly string[]): Locale {
  if (chosen) return chosen;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    const found = LOCALES.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}

/** The browser's languages, most preferred first (empty outside a browser). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}

/** The locale the formatting helpers use (set by the I18nProvider when the language changes). */
export function activeLocale(): Locale {
  return active;
}

/** Makes `locale` the one formatting helpers use. */
export function setActiveLocale(locale: Locale): void {
  active = locale;
}
