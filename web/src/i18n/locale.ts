// Which language the web app speaks, and the locale every date and number is formatted in.
import { LOCALES, type Locale } from '@contracts';

export { LOCALES, type Locale };

let active: Locale = 'en';
let formatTag: string = 'en';

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

/**
 * The tag dates and numbers are formatted with: the browser's own tag when it is of the chosen language (an
 * English speaker in Britain keeps "7 Dec 2026, 19:38"), otherwise the language itself.
 */
export function formatTagFor(locale: Locale, browser: readonly string[]): string {
  const own = browser.find((tag) => tag.toLowerCase().split('-')[0] === locale);
  if (own === undefined) return locale;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([own]).length > 0 ? own : locale;
  } catch {
    return locale;
  }
}

/** The language the app speaks now (set by the I18nProvider when it changes). */
export function activeLocale(): Locale {
  return active;
}

/** The tag the formatting helpers use now (see formatTagFor). */
export function activeFormatTag(): string {
  return formatTag;
}

/** Makes `locale` the app's language, formatting with `tag` (the language itself unless told). */
export function setActiveLocale(locale: Locale, tag: string = locale): void {
  active = locale;
  formatTag = tag;
}
