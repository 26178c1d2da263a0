// Translation outside React components: pure helpers, the API client, tests.
import { createIntl, createIntlCache, type IntlShape } from 'react-intl';
import { catalogues, type MessageKey } from './catalogues';
import { activeFormatTag, activeLocale, type Locale } from './locale';
import type { MessageValues, Translate } from './useT';

const cache = createIntlCache();
const intls = new Map<string, IntlShape>();

function intlOf(locale: Locale, tag: string): IntlShape {
  const id = `${locale}:${tag}`;
  let intl = intls.get(id);
  if (!intl) {
    intl = createIntl({ locale: tag, defaultLocale: 'en', messages: catalogues[locale] }, cache);
    intls.set(id, intl);
  }
  return intl;
}

/**
 * The translate function of `locale` (by default the app's active language), for code outside components;
 * components use useT(), which follows the language as it changes.
 */
export function translator(locale: Locale = activeLocale(), tag: string = locale): Translate {
  const intl = intlOf(locale, tag);
  return (key: MessageKey, values?: MessageValues) => intl.formatMessage({ id: key }, values);
}

/** `key` in the active language, for code outside components (the API client, pure helpers). */
export function translate(key: MessageKey, values?: MessageValues): string {
  return translator(activeLocale(), activeFormatTag())(key, values);
}

/** Whether `key` is in the catalogue (for keys made from data, such as `field.${name}`). */
export function isMessageKey(key: string): key is MessageKey {
  return key in catalogues.en;
}
