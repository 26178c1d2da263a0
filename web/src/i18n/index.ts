export { catalogues, type MessageKey } from './catalogues';
export { I18nProvider } from './I18nProvider';
export { activeLocale, browserLanguages, LOCALES, pickLocale, type Locale } from './locale';
export { useT, type MessageValues, type Translate } from './useT';
